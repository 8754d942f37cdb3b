using static Catalog.Core.Validation.Validators;
using Catalog.Core.Validation;

namespace Catalog.Core.Views;

/// <summary>
/// The columns every view has (CKAN's default_create_resource_view_schema and its update changes); the view type's
/// own settings are validated by <see cref="ViewType.Config"/> beside them, so further keys are passed on to it.
/// </summary>
public static class ViewSchemas
{
    public static readonly Schema Create = new Schema { KeepExtraKeys = true }
        .Field("id", IgnoreEmpty, UnicodeSafe, Uuid)
        .Field("resource_id", NotEmpty, UnicodeSafe)
        .Field("title", NotEmpty, UnicodeSafe, Strip, MaxLength(PackageSchemas.TitleMax))
        .Field("description", IgnoreMissing, UnicodeSafe, MaxLength(PackageSchemas.TextMax))
        .Field("view_type", NotEmpty, UnicodeSafe);

    /// <summary>The view's id is required and its type and resource stay as created.</summary>
    public static readonly Schema Update = new Schema { KeepExtraKeys = true }
        .Field("id", NotEmpty, UnicodeSafe)
        .Field("title", IgnoreMissing, UnicodeSafe, Strip, NotEmpty, MaxLength(PackageSchemas.TitleMax))
        .Field("description", IgnoreMissing, UnicodeSafe, MaxLength(PackageSchemas.TextMax));
}
