using Catalog.Core.Auth;
using static Catalog.Core.Validation.Validators;

namespace Catalog.Core.Validation;

/// <summary>Organization, group and membership schemas (CKAN's default_group_schema, member_schema).</summary>
public static class GroupSchemas
{
    /// <summary>CKAN's role_exists message.</summary>
    public const string UnknownRole = "role does not exist.";

    public static readonly Validator Role = f =>
    {
        if (AsString(f.Value) is { } s && !Roles.All.Contains(s)) f.Error(UnknownRole);
    };

    /// <summary>A member given by user name or id; the role defaults to member.</summary>
    public static readonly Schema UserRef = new Schema()
        .Field("name", IgnoreEmpty, UnicodeSafe)
        .Field("id", IgnoreEmpty, UnicodeSafe)
        .Field("capacity", Default(Roles.Member), UnicodeSafe, Role);

    /// <summary>
    /// Keys an extra may not take: the fields of CKAN's default_group_schema (its extra_key_not_in_root_schema).
    /// Declared before the schemas that use it.
    /// </summary>
    private static readonly HashSet<string> CoreKeys =
    [
        "id", "name", "title", "description", "image_url", "image_display_url", "type", "state", "created",
        "is_organization", "approval_status", "extras", "packages", "groups", "users",
    ];

    public static readonly Schema Create = new Schema()
        .Field("id", IgnoreEmpty, UnicodeSafe, Uuid)
        .Field("name", NotEmpty, UnicodeSafe, Name)
        .Field("title", IgnoreMissing, UnicodeSafe, Strip, MaxLength(PackageSchemas.TitleMax))
        .Field("description", IgnoreMissing, UnicodeSafe, MaxLength(PackageSchemas.TextMax))
        .Field("image_url", IgnoreMissing, UnicodeSafe, Strip, MaxLength(PackageSchemas.UrlMax))
        .Field("type", IgnoreEmpty, UnicodeSafe, MaxLength(100))
        .Field("state", IgnoreEmpty, UnicodeSafe, OneOf("active", "deleted"))
        .Field("approval_status", IgnoreEmpty, UnicodeSafe, MaxLength(100))
        .List("extras", PackageSchemas.Extra, [IgnoreMissing])
        .List("users", UserRef, [IgnoreMissing])
        .List("packages", PackageSchemas.GroupRef, [IgnoreMissing])
        .Check(ExtrasRules.Check(CoreKeys));

    /// <summary><c>id</c> names the organization or group (id or name); <c>name</c> becomes optional.</summary>
    public static readonly Schema Update = Create
        .With("id", NotEmpty, UnicodeSafe)
        .With("name", IgnoreEmpty, UnicodeSafe, Name);

    /// <summary>member_create: the object (id or name) joins the group with a capacity (for users, the role).</summary>
    public static readonly Schema MemberCreate = new Schema()
        .Field("id", NotEmpty, UnicodeSafe)
        .Field("object", NotEmpty, UnicodeSafe)
        .Field("object_type", NotEmpty, UnicodeSafe, OneOf("package", "user"))
        .Field("capacity", NotEmpty, UnicodeSafe, MaxLength(100));

    public static readonly Schema MemberDelete = new Schema()
        .Field("id", NotEmpty, UnicodeSafe)
        .Field("object", NotEmpty, UnicodeSafe)
        .Field("object_type", NotEmpty, UnicodeSafe, OneOf("package", "user"));

    /// <summary>organization_member_create / group_member_create.</summary>
    public static readonly Schema UserMemberCreate = new Schema()
        .Field("id", NotEmpty, UnicodeSafe)
        .Field("username", NotEmpty, UnicodeSafe)
        .Field("role", NotEmpty, UnicodeSafe, Role);
}
