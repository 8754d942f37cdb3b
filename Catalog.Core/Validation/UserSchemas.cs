using System.Text.Json;
using static Catalog.Core.Validation.Validators;

namespace Catalog.Core.Validation;

/// <summary>User and API token schemas (CKAN's default_user_schema, default_update_user_schema, api_token schema).</summary>
public static class UserSchemas
{
    public const int PasswordMin = 8;
    public const int TokenNameMax = 200;
    public const string PasswordTooShort = "Your password must be 8 characters or longer";

    /// <summary>
    /// <c>id</c>, <c>sysadmin</c> and <c>state</c> are honoured for sysadmin callers only (CKAN's ignore_not_sysadmin);
    /// the handlers drop them for everyone else.
    /// </summary>
    public static readonly Schema Create = new Schema()
        .Field("id", IgnoreEmpty, UnicodeSafe, Uuid)
        .Field("name", NotEmpty, UnicodeSafe, Name)
        .Field("email", NotEmpty, UnicodeSafe, Strip, Email)
        .Field("password", NotEmpty, Password)
        .Field("fullname", IgnoreMissing, UnicodeSafe, Strip, MaxLength(PackageSchemas.ShortMax))
        .Field("about", IgnoreMissing, UnicodeSafe, MaxLength(PackageSchemas.TextMax))
        .Field("image_url", IgnoreMissing, UnicodeSafe, Strip, MaxLength(PackageSchemas.UrlMax))
        .Field("sysadmin", IgnoreMissing, BooleanValue)
        .Field("state", IgnoreEmpty, UnicodeSafe, OneOf("active", "pending", "deleted"));

    /// <summary>user_update: <c>id</c> names the user (id or name); name and password are optional, e-mail stays required.</summary>
    public static readonly Schema Update = Create
        .With("id", NotEmpty, UnicodeSafe)
        .With("name", IgnoreEmpty, UnicodeSafe, Name)
        .With("password", IgnoreEmpty, Password)
        .With("old_password", IgnoreMissing, UnicodeSafe);

    public static readonly Schema TokenCreate = new Schema()
        .Field("user", NotEmpty, UnicodeSafe)
        .Field("name", NotEmpty, UnicodeSafe, Strip, MaxLength(TokenNameMax));

    /// <summary>CKAN's user_password_validator: a string of at least eight characters, kept exactly as given.</summary>
    private static void Password(FieldContext f)
    {
        if (f.Value is null) return;
        if (f.Value.GetValueKind() != JsonValueKind.String) f.Error("Passwords must be strings");
        else if (f.Value.GetValue<string>().Length < PasswordMin) f.Error(PasswordTooShort);
    }
}
