using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.Core.Infrastructure;

namespace Catalog.Staff;

/// <summary>A form posted without its anti-forgery token is refused with a page that says why, not a blank 400.</summary>
internal sealed class AntiforgeryMessage : IAlwaysRunResultFilter
{
    public void OnResultExecuting(ResultExecutingContext context)
    {
        if (context.Result is IAntiforgeryValidationFailedResult)
            context.Result = new ContentResult
            {
                StatusCode = 400,
                ContentType = "text/html; charset=utf-8",
                Content = """
                    <!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>フォームを受け付けられません / Form refused</title></head>
                    <body><main><h1>フォームを受け付けられません / Form refused</h1>
                    <p role="alert">フォームの確認用トークンがないか、有効期限が切れています。ページを開き直してからもう一度送信してください。/ The form's anti-forgery token is missing or expired: reload the page and send it again.</p>
                    <p><a href="/staff">ダッシュボードへ戻る / Back to the dashboard</a></p></main></body></html>
                    """,
            };
    }

    public void OnResultExecuted(ResultExecutedContext context) { }
}
