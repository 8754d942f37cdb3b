using System.Text.Json.Nodes;
using Catalog.Core.Dispatch;

namespace Catalog.Core.Auth;

/// <summary>Auth rules shared by many actions. Object-specific rules live beside them, one file per family.</summary>
public static class AuthRules
{
    /// <summary>Anyone may call; what the caller sees is filtered where objects are loaded (private datasets, e-mails).</summary>
    public static Task Anyone(ActionContext ctx, JsonObject data) => Task.CompletedTask;

    public static Task LoggedIn(ActionContext ctx, JsonObject data) =>
        ctx.Caller.IsAuthenticated ? Task.CompletedTask : throw new NotAuthorizedException("Not logged in");

    public static Task Sysadmin(ActionContext ctx, JsonObject data) =>
        ctx.Caller.IsSysadmin ? Task.CompletedTask
            : throw new NotAuthorizedException($"User {ctx.Caller.UserName ?? "not logged in"} is not a sysadmin");

    public static NotAuthorizedException Denied(ActionContext ctx, string what) =>
        new($"User {ctx.Caller.UserName ?? "not logged in"} not authorized to {what}");
}
