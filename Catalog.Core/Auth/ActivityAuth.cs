using System.Text.Json.Nodes;
using Catalog.Core.Dispatch;

namespace Catalog.Core.Auth;

/// <summary>
/// Who may read which activity stream (CKAN's activity plugin auth). A stream is readable where its object is:
/// datasets, organizations and groups are checked where they are loaded, and every stream leaves out what the caller
/// may not read.
/// </summary>
public static class ActivityAuth
{
    /// <summary>CKAN bases it on user_show: with user details private, anonymous callers are refused.</summary>
    public static Task User(ActionContext ctx, JsonObject data) => UserAuth.Show(ctx, data);

    public static Task Dashboard(ActionContext ctx, JsonObject data) =>
        ctx.Caller.IsAuthenticated ? Task.CompletedTask : throw new NotAuthorizedException("You must be logged in to access your dashboard.");
}
