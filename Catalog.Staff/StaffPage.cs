using System.Net;
using System.Text.Json.Nodes;
using Catalog.Core.Auth;
using Catalog.Core.Dispatch;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Staff;

/// <summary>
/// Base of every staff page: a page needs a signed-in member unless it says otherwise, and an action's refusal becomes
/// a page in the member's language with the right status (never a 500).
/// </summary>
public abstract class StaffPage : PageModel
{
    protected virtual bool NeedsSignIn => true;

    protected StaffSession Session => HttpContext.RequestServices.GetRequiredService<StaffSession>();
    protected Caller Caller => Session.Caller;
    public string? UserName { get; private set; }

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var caller = await Session.CallerAsync();
        if (caller is null && NeedsSignIn)
        {
            context.Result = Redirect("/staff/login?returnUrl=" + Uri.EscapeDataString(Request.Path + Request.QueryString));
            return;
        }
        UserName = caller?.UserName;
        var executed = await next();
        if (executed.Exception is ActionException e && !executed.ExceptionHandled)
        {
            executed.Result = ErrorPage(e.StatusCode, e is NotAuthorizedException
                ? "この操作を行う権限がありません。/ You are not allowed to do this."
                : e is NotFoundException ? "見つかりません。/ Not found." : e.Message, e.Message);
            executed.ExceptionHandled = true;
        }
    }

    protected Task<JsonNode?> CallAsync(string action, JsonObject data, IReadOnlyDictionary<string, UploadedFile>? files = null) =>
        Session.CallAsync(action, data, files);

    protected static ContentResult ErrorPage(int status, string message, string? detail = null) => new()
    {
        StatusCode = status,
        ContentType = "text/html; charset=utf-8",
        Content = $"""
            <!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>エラー / Error</title></head>
            <body><main><h1>エラー / Error</h1><p role="alert">{WebUtility.HtmlEncode(message)}</p>
            {(detail is null || detail == message ? "" : $"<p>{WebUtility.HtmlEncode(detail)}</p>")}
            <p><a href="/staff">ダッシュボードへ戻る / Back to the dashboard</a></p></main></body></html>
            """,
    };
}
