using System.Text.Json.Nodes;
using Catalog.Core.Dispatch;

namespace Catalog.Core.Auth;

/// <summary>
/// Who may follow and see followers (CKAN 2.11's auth for follow_*, *_follower_list and *_followee_list): following
/// is for logged-in users; who follows something is for sysadmins; what a user follows is for that user and
/// sysadmins. Counts are public, but those about a user follow user_show (Catalog:Auth:PublicUserDetails); what they
/// count is cut to what the caller may read where objects are loaded.
/// </summary>
public static class FollowerAuth
{
    /// <param name="what">"datasets", "groups" or "users", as CKAN's messages name them.</param>
    public static AuthRule Follow(string what) => (ctx, _) => ctx.Caller.IsAuthenticated
        ? Task.CompletedTask
        : throw new NotAuthorizedException($"You must be logged in to follow {what}");

    public static AuthRule Unfollow(string what) => (ctx, _) => ctx.Caller.IsAuthenticated
        ? Task.CompletedTask
        : throw new NotAuthorizedException($"You must be logged in to unfollow {what}");

    /// <summary>CKAN answers an anonymous am_following_* with a bare NotAuthorized: there is nobody to be following.</summary>
    public static Task AmFollowing(ActionContext ctx, JsonObject data) =>
        ctx.Caller.IsAuthenticated ? Task.CompletedTask : throw new NotAuthorizedException();

    /// <summary>Visitors cannot see what users follow; a user sees their own, a sysadmin anyone's.</summary>
    public static Task FolloweeList(ActionContext ctx, JsonObject data)
    {
        if (!ctx.Caller.IsAuthenticated) throw new NotAuthorizedException("Not authorized");
        var id = DataDict.String(data, "id");
        if (ctx.Caller.IsSysadmin || id == ctx.Caller.UserId || id == ctx.Caller.UserName) return Task.CompletedTask;
        throw AuthRules.Denied(ctx, "see what other users follow");
    }
}
