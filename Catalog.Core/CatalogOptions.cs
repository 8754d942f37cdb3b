using System.ComponentModel.DataAnnotations;
using Catalog.Core.Auth;

namespace Catalog.Core;

/// <summary>The <c>Catalog</c> configuration section (environment form <c>Catalog__Key</c>).</summary>
public sealed class CatalogOptions
{
    public const string Section = "Catalog";

    /// <summary>Folder for the database, the search index and uploaded files.</summary>
    [Required] public string DataDir { get; set; } = "./data";

    /// <summary>Absolute base for links (help URLs, download URLs). Derived from the request when unset.</summary>
    public string? SiteUrl { get; set; }

    /// <summary>
    /// When set, a sysadmin <c>admin</c> exists whose API token is this value (at least
    /// <see cref="Seeding.SysadminBootstrap.MinTokenLength"/> characters); unset, that token is revoked.
    /// </summary>
    public string? SysadminToken { get; set; }

    /// <summary>Fill an empty catalog from samples/seed on first start.</summary>
    public bool Seed { get; set; } = true;

    /// <summary>Where the seed lives; found next to the app or above the working directory when unset.</summary>
    public string? SeedDir { get; set; }

    public string SiteTitle { get; set; } = "三重県オープンデータカタログ";
    public string SiteDescription { get; set; } = "三重県が公開するオープンデータのカタログ (Mie Prefecture open data catalog)";
    public string LocaleDefault { get; set; } = "ja";

    /// <summary>Largest accepted upload, in bytes.</summary>
    [Range(1, long.MaxValue)] public long MaxUploadBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>Largest request body, in bytes, for everything but a multipart upload to an action that takes one.</summary>
    [Range(1, long.MaxValue)] public long MaxRequestBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Reverse proxies (addresses or CIDR ranges) whose <c>X-Forwarded-For</c> is believed. Empty: the header is
    /// ignored and the client is the connection's address.
    /// </summary>
    public List<string> KnownProxies { get; set; } = [];

    public RateLimitOptions RateLimits { get; set; } = new();

    public DatabaseOptions Database { get; set; } = new();

    /// <summary>Uploaded files (<c>Catalog:Files</c>).</summary>
    public FilesOptions Files { get; set; } = new();

    /// <summary>Accounts: who may see what of them (<c>Catalog:Auth</c>).</summary>
    public AuthOptions Auth { get; set; } = new();
}

/// <summary>Per client address and minute; 0 or unset turns a budget off.</summary>
public sealed class RateLimitOptions
{
    /// <summary>Action API calls to read actions by callers without a valid token.</summary>
    public int? AnonymousReadsPerMinute { get; set; }

    /// <summary>POSTs to write actions, whoever the caller.</summary>
    public int? WritesPerMinute { get; set; }
}

public sealed class DatabaseOptions
{
    public const string Sqlite = "Sqlite";
    public const string Postgres = "Postgres";

    /// <summary><c>Sqlite</c> (default) or <c>Postgres</c>.</summary>
    public string Provider { get; set; } = Sqlite;
    /// <summary>Defaults to <c>{DataDir}/catalog.db</c> for SQLite; required for PostgreSQL.</summary>
    public string? ConnectionString { get; set; }
}

public sealed class FilesOptions
{
    /// <summary>
    /// Where uploads live; <c>{DataDir}/files</c> when unset. Several nodes on one PostgreSQL store share one folder
    /// (a shared volume), since any node may serve a file another received.
    /// </summary>
    public string? Dir { get; set; }

    public string Root(CatalogOptions o) => Path.GetFullPath(Dir is { Length: > 0 } dir ? dir : Path.Combine(o.DataDir, "files"));
}

public sealed class AuthOptions
{
    /// <summary>
    /// CKAN's <c>ckan.auth.public_user_details</c>: anonymous callers may list and show users (never their e-mail,
    /// its hash or the sysadmin flag). Off, user_list, user_show and user_activity_list refuse them.
    /// </summary>
    public bool PublicUserDetails { get; set; }

    /// <summary>
    /// CKAN's <c>ckan.auth.allow_dataset_collaborators</c> (on here: departments co-own datasets): package_collaborator_*
    /// give a user a role on one dataset; members read it while private, editors edit it.
    /// </summary>
    public bool AllowDatasetCollaborators { get; set; } = true;

    /// <summary>CKAN's <c>ckan.auth.allow_admin_collaborators</c>: collaborators may also be "admin", who manage the collaborators.</summary>
    public bool AllowAdminCollaborators { get; set; }

    /// <summary>CKAN's <c>ckan.auth.allow_collaborators_to_change_owner_org</c>: off, a collaborator cannot move the dataset.</summary>
    public bool AllowCollaboratorsToChangeOwnerOrg { get; set; }

    /// <summary>The roles a collaborator may have, as CKAN's authz.get_collaborator_capacities.</summary>
    public IReadOnlyList<string> CollaboratorCapacities =>
        AllowAdminCollaborators ? [Roles.Admin, Roles.Editor, Roles.Member] : [Roles.Editor, Roles.Member];
}
