using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SkRerank.Tests.Support;

/// <summary>Starts a Kestrel app on 127.0.0.1 at a free port that hands every request to one handler: the base of the test servers.</summary>
public static class LoopbackWebApp
{
    /// <summary>Starts the app; <paramref name="root"/> is like <c>http://127.0.0.1:PORT</c> (no trailing slash).</summary>
    public static async Task<(WebApplication App, string Root)> StartAsync(RequestDelegate handle, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(handle);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, address.TrimEnd('/'));
    }
}
