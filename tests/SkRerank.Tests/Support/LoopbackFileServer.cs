using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SkRerank.Tests.Support;

/// <summary>Serves one fixed response on 127.0.0.1 at a free port, over real HTTP.</summary>
public sealed class LoopbackFileServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    private LoopbackFileServer(string url) => Url = url;

    public string Url { get; }

    public static Task<LoopbackFileServer> StartAsync(HttpStatusCode status, string body)
    {
        var port = FreePort();
        var server = new LoopbackFileServer($"http://127.0.0.1:{port}/movies.json");
        server._listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        server._listener.Start();
        server._loop = Task.Run(async () =>
        {
            while (!server._stop.IsCancellationRequested)
            {
                HttpListenerContext context;
                try { context = await server._listener.GetContextAsync(); }
                catch (Exception) { return; }
                context.Response.StatusCode = (int)status;
                var bytes = Encoding.UTF8.GetBytes(body);
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
        });
        return Task.FromResult(server);
    }

    public static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        _listener.Close();
        if (_loop is not null) await _loop;
    }
}
