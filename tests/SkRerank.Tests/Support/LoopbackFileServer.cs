using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace SkRerank.Tests.Support;

/// <summary>Serves one fixed response on 127.0.0.1 at a free port, over real HTTP.</summary>
public sealed class LoopbackFileServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackFileServer(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    public static async Task<LoopbackFileServer> StartAsync(HttpStatusCode status, string body)
    {
        var (app, root) = await LoopbackWebApp.StartAsync(async context =>
        {
            context.Response.StatusCode = (int)status;
            await context.Response.WriteAsync(body);
        });
        return new LoopbackFileServer(app, root + "/movies.json");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
