using System.Text.Json.Nodes;
using Catalog.Core.Auth;
using Catalog.Core.Dispatch;
using Catalog.Core.Store;
using Catalog.Core.Validation;
using Catalog.Core.Views;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Core.Domain;

/// <summary>
/// Saves a validated dataset dict: the checks that need the store (unique name, existing organization and groups),
/// then fields, tags, extras, groups and resources. Shared by package_create, _update and _patch.
/// </summary>
internal sealed class PackageWriter(ActionContext ctx)
{
    /// <summary>What the write's activity records besides the dataset (a sysadmin's override of the publishing gate).</summary>
    public JsonObject? ActivityDetail { get; private set; }

    public async Task<Package> SaveAsync(JsonObject d, Package? existing)
    {
        var ct = ctx.CancellationToken;
        var errors = new JsonObject();
        var isNew = existing is null;
        var p = existing ?? new Package { Id = Guid.NewGuid().ToString(), Name = "" };

        // Name: unique among datasets that are not purged (deleted ones keep theirs, as in CKAN).
        var name = Validators.AsString(d["name"]);
        if (name is not null && name != p.Name
            && await ctx.Db.Packages.AnyAsync(x => x.Name == name && x.Id != p.Id, ct))
            ValidationException.Add(errors, "name", "That URL is already in use.");

        if (isNew && ctx.Caller.IsSysadmin && Validators.AsString(d["id"]) is { } wantedId)
        {
            if (await ctx.Db.Packages.AnyAsync(x => x.Id == wantedId, ct)) ValidationException.Add(errors, "id", "Dataset id already exists");
            else p.Id = wantedId;
        }

        var org = await ResolveOwnerOrgAsync(d, p, errors);
        var groups = d["groups"] is JsonArray groupRefs ? await ResolveGroupsAsync(groupRefs, errors) : null;

        if (errors.Count > 0) throw new ValidationException(errors);

        var wasHidden = isNew || PublishingGate.IsHidden(p);
        var now = ctx.Now;
        if (isNew)
        {
            p.MetadataCreated = now;
            p.CreatorUserId = ctx.Caller.UserId;
            p.Type = Validators.AsString(d["type"]) ?? "dataset";
            ctx.Db.Packages.Add(p);
        }
        else if (Validators.AsString(d["type"]) is { } type) p.Type = type;

        if (name is not null) p.Name = name;
        p.Title = Validators.AsString(d["title"]);
        p.Notes = Validators.AsString(d["notes"]);
        p.Author = Validators.AsString(d["author"]);
        p.AuthorEmail = Validators.AsString(d["author_email"]);
        p.Maintainer = Validators.AsString(d["maintainer"]);
        p.MaintainerEmail = Validators.AsString(d["maintainer_email"]);
        p.LicenseId = Validators.AsString(d["license_id"]);
        p.Url = Validators.AsString(d["url"]);
        p.Version = Validators.AsString(d["version"]);
        if (d["private"] is { } priv) p.Private = priv.GetValue<bool>();
        if (Validators.AsString(d["state"]) is { } state) p.State = state;
        if (!isNew && wasHidden && !PublishingGate.IsHidden(p)) ActivityDetail = await PublishingGate.CheckAsync(ctx, p, d);
        p.OwnerOrgId = org?.Id;
        p.OwnerOrg = org;
        p.MetadataModified = ctx.Caller.IsSysadmin && Validators.AsString(d["metadata_modified"]) is { } mm
            && Timestamps.TryParse(mm, out var given) ? given : now;

        await SaveTagsAsync(p, d);
        ExtrasSync.Apply(p.Extras, d, (key, value) => new PackageExtra { PackageId = p.Id, Key = key, Value = value });
        if (groups is not null) await SaveGroupsAsync(p, groups);
        List<Resource> uploaded = [];
        HashSet<Resource> added = [];
        if (d["resources"] is JsonArray resources)
        {
            var saved = await SaveResourcesAsync(p, resources);
            uploaded = saved.Uploaded;
            added = [.. saved.Added];
            foreach (var r in saved.Added) await DefaultViews.AddAsync(ctx, r, newResource: true);
            if (saved.Dropped.Count > 0) await DefaultViews.RemoveAsync(ctx, saved.Dropped);
        }

        await ctx.Db.SaveChangesAsync(ct);
        if (uploaded.Count > 0)
        {
            foreach (var r in uploaded) await ResourceValidationRunner.OnUploadAsync(ctx, r, newResource: added.Contains(r));
            await ctx.Db.SaveChangesAsync(ct);
        }
        return p;
    }

    private async Task<Group?> ResolveOwnerOrgAsync(JsonObject d, Package p, JsonObject errors)
    {
        var orgRef = Validators.AsString(d["owner_org"]);
        if (orgRef is null)
        {
            if (p.OwnerOrgId is not null) return p.OwnerOrg ?? await ctx.Db.Groups.FindAsync([p.OwnerOrgId], ctx.CancellationToken);
            ValidationException.Add(errors, "owner_org", "An organization must be provided");
            return null;
        }
        var org = await ctx.Db.Groups.Include(g => g.Extras).Named(orgRef).FirstOrDefaultAsync(g => g.IsOrganization && g.State == ObjectState.Active, ctx.CancellationToken);
        if (org is null) { ValidationException.Add(errors, "owner_org", "Organization does not exist"); return null; }
        // CKAN's owner_org validator: a collaborator editing the dataset does not get to move it to another
        // organization (its permissions there would otherwise decide who else may read it).
        if (p.OwnerOrgId is not null && org.Id != p.OwnerOrgId && !ctx.Caller.IsSysadmin
            && !ctx.Authz.Options.AllowCollaboratorsToChangeOwnerOrg
            && await ctx.Authz.CollaboratorRoleAsync(p.Id, ctx.CancellationToken) is Roles.Editor or Roles.Admin)
        {
            ValidationException.Add(errors, "owner_org", "You cannot move this dataset to another organization");
            return null;
        }
        if (org.Id != p.OwnerOrgId && !await ctx.Authz.HasPermissionAsync(org.Id, Roles.Permission.CreateDataset, ctx.CancellationToken))
            throw AuthRules.Denied(ctx, $"add dataset to organization {org.Name}");
        return org;
    }

    private async Task<List<Group>> ResolveGroupsAsync(JsonArray refs, JsonObject errors)
    {
        var found = new List<Group>();
        foreach (var item in refs.OfType<JsonObject>())
        {
            var key = Validators.AsString(item["id"]) ?? Validators.AsString(item["name"]);
            if (key is null) continue;
            var group = await ctx.Db.Groups.Named(key).FirstOrDefaultAsync(g => !g.IsOrganization && g.State == ObjectState.Active, ctx.CancellationToken);
            if (group is null) ValidationException.Add(errors, "groups", $"Group \"{key}\" does not exist");
            else if (found.All(g => g.Id != group.Id)) found.Add(group);
        }
        return found;
    }

    private async Task SaveTagsAsync(Package p, JsonObject d)
    {
        var wanted = new List<(string Name, string? Vocabulary)>();
        if (d["tags"] is JsonArray tags)
            wanted.AddRange(tags.OfType<JsonObject>().Select(t => (Validators.AsString(t["name"])!, Validators.AsString(t["vocabulary_id"]))));
        if (Validators.AsString(d["tag_string"]) is { } tagString)
        {
            foreach (var name in tagString.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var f = new FieldContext { Key = "tag_string", Value = JsonValue.Create(name) };
                Validators.TagName(f);
                if (f.Errors.Count > 0) throw ValidationException.For("tag_string", f.Errors[0]);
                wanted.Add((name, null));
            }
        }
        wanted = wanted.DistinctBy(t => (t.Name, t.Vocabulary)).ToList();
        // CKAN's vocabulary_id_exists: a tag's vocabulary is named by its id and must exist.
        foreach (var vocabularyId in wanted.Select(t => t.Vocabulary).OfType<string>().Distinct())
            if (!await ctx.Db.Vocabularies.AnyAsync(v => v.Id == vocabularyId, ctx.CancellationToken))
                throw ValidationException.For("tags", "Tag vocabulary was not found.");

        p.Tags.RemoveAll(pt => !wanted.Any(w => w.Name == pt.Tag?.Name && w.Vocabulary == pt.Tag?.VocabularyId));
        foreach (var (name, vocabulary) in wanted)
        {
            if (p.Tags.Any(pt => pt.Tag?.Name == name && pt.Tag?.VocabularyId == vocabulary)) continue;
            var tag = ctx.Db.Tags.Local.FirstOrDefault(t => t.Name == name && t.VocabularyId == vocabulary)
                ?? await ctx.Db.Tags.FirstOrDefaultAsync(t => t.Name == name && t.VocabularyId == vocabulary, ctx.CancellationToken);
            if (tag is null)
            {
                tag = new Tag { Id = Guid.NewGuid().ToString(), Name = name, VocabularyId = vocabulary };
                ctx.Db.Tags.Add(tag);
            }
            p.Tags.Add(new PackageTag { PackageId = p.Id, TagId = tag.Id, Tag = tag });
        }
    }

    /// <summary>The dataset's groups become exactly this list; joining or leaving a group needs a role in it.</summary>
    private async Task SaveGroupsAsync(Package p, List<Group> groups)
    {
        var current = await ctx.Db.Members
            .Where(m => m.TableName == "package" && m.TableId == p.Id && m.State == ObjectState.Active)
            .Join(ctx.Db.Groups.Where(g => !g.IsOrganization), m => m.GroupId, g => g.Id, (m, g) => m)
            .ToListAsync(ctx.CancellationToken);
        foreach (var member in current.Where(m => groups.All(g => g.Id != m.GroupId)))
        {
            await RequireManageGroupAsync(member.GroupId);
            ctx.Db.Members.Remove(member);
        }
        foreach (var group in groups.Where(g => current.All(m => m.GroupId != g.Id)))
        {
            await RequireManageGroupAsync(group.Id);
            ctx.Db.Members.Add(new Member
            {
                Id = Guid.NewGuid().ToString(), GroupId = group.Id, TableName = "package", TableId = p.Id, Capacity = "public",
            });
        }
    }

    private async Task RequireManageGroupAsync(string groupId)
    {
        if (!await ctx.Authz.HasPermissionAsync(groupId, Roles.Permission.ManageGroup, ctx.CancellationToken))
            throw AuthRules.Denied(ctx, "edit these groups");
    }

    /// <summary>
    /// The list replaces the dataset's resources; entries with a known id keep their id and stored file. An entry's
    /// <c>upload</c> names a file part of the call (package_revise's <c>update__resources__…__upload</c>).
    /// </summary>
    /// <returns>The resources given a new file, those added, and the ids of those dropped (their views go with them).</returns>
    private async Task<(List<Resource> Uploaded, List<Resource> Added, List<string> Dropped)> SaveResourcesAsync(Package p, JsonArray resources)
    {
        var uploaded = new List<Resource>();
        var added = new List<Resource>();
        var active = p.Resources.Where(r => r.State == ObjectState.Active).ToDictionary(r => r.Id);
        var taken = await ResourceWriter.TakenIdsAsync(ctx, resources.OfType<JsonObject>()
            .Select(item => Validators.AsString(item["id"])).Where(id => id is not null && !active.ContainsKey(id)));
        var kept = new HashSet<string>();
        var position = 0;
        foreach (var item in resources.OfType<JsonObject>())
        {
            var id = Validators.AsString(item["id"]);
            var isNew = id is null || !active.ContainsKey(id);
            var r = isNew
                ? new Resource { Id = ResourceWriter.NewResourceId(id, taken), PackageId = p.Id }
                : active[id!];
            var upload = UploadNamedBy(item);
            ResourceWriter.Apply(ctx, r, item, isNew);
            if (upload is not null)
            {
                await ResourceWriter.AttachUploadAsync(ctx, r, upload);
                uploaded.Add(r);
            }
            r.Position = position++;
            r.State = ObjectState.Active;
            if (isNew) { p.Resources.Add(r); added.Add(r); }
            kept.Add(r.Id);
        }
        var dropped = active.Values.Where(r => !kept.Contains(r.Id)).ToList();
        foreach (var r in dropped)
        {
            r.State = ObjectState.Deleted;
            r.MetadataModified = ctx.Now;
        }
        return (uploaded, added, dropped.Select(r => r.Id).ToList());
    }

    /// <summary>The file part an entry's <c>upload</c> names; a value that names no file of the call is refused.</summary>
    private UploadedFile? UploadNamedBy(JsonObject item)
    {
        if (!item.ContainsKey("upload")) return null;
        var name = Validators.AsString(item["upload"]);
        item.Remove("upload");
        if (name is null or "") return null;
        return ctx.Files.TryGetValue(name, out var file) ? file
            : throw ValidationException.For("upload", "No file was uploaded: send the file as a multipart part named \"update__resources__<index or id>__upload\"");
    }
}
