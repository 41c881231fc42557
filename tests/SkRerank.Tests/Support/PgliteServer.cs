using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SkRerank.Tests.Support;

/// <summary>
/// A real PostgreSQL wire server with the real pgvector extension: PGlite (PostgreSQL compiled to WebAssembly) behind
/// @electric-sql/pglite-socket, pinned in tests/pglite (package.json + package-lock.json; the test project runs
/// <c>npm ci</c> there when node_modules is missing). Listens on a free loopback port, in memory; stopped when the test
/// process exits. Tests share one server and isolate themselves with table names of their own.
/// </summary>
public sealed class PgliteServer : IDisposable
{
    private static readonly Lazy<PgliteServer> SharedServer = new(() => Start(withVector: true));
    private readonly Process _process;

    private PgliteServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    /// <summary>The server the tests share (started on first use).</summary>
    public static PgliteServer Shared => SharedServer.Value;

    public int Port { get; }

    /// <summary>
    /// A connection string for the server. PGlite runs every connection on one backend, and messages of two connections
    /// in flight at once can interleave ("bind message supplies 1 parameters, but prepared statement requires 14", seen
    /// under the stress test), so each client keeps to one connection and the tests share one data source.
    /// </summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Password=postgres;Database=postgres;Maximum Pool Size=1;Timeout=600;Command Timeout=600";

    private const int MaxConnections = 32;

    /// <summary>A unique table name for one test.</summary>
    public static string UniqueName(string prefix) => $"{prefix}_{Guid.NewGuid():N}";

    /// <summary>Starts a server of its own, with or without pgvector (a server without it tests the missing-extension error).</summary>
    public static PgliteServer Start(bool withVector)
    {
        var folder = Folder();
        var script = Path.Combine(folder, "node_modules", "@electric-sql", "pglite-socket", "dist", "scripts", "server.js");
        if (!File.Exists(script))
            throw new InvalidOperationException($"PGlite is not installed: run 'npm ci' in {folder} (the test project's build does it when node is on PATH).");
        var port = FreePort();
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { script, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-h", "127.0.0.1", "-m", MaxConnections.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(argument);
        if (withVector)
        {
            start.ArgumentList.Add("-e");
            start.ArgumentList.Add("@electric-sql/pglite-pgvector:vector");
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (output) output.AppendLine(e.Data);
            if (e.Data.Contains("listening", StringComparison.OrdinalIgnoreCase)) listening.TrySetResult();
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (output) output.AppendLine(e.Data);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new PgliteServer(process, port);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Dispose();
        if (!listening.Task.Wait(TimeSpan.FromSeconds(60)) || process.HasExited)
        {
            server.Dispose();
            lock (output) throw new InvalidOperationException($"PGlite did not start on port {port}: {output}");
        }
        return server;
    }

    /// <summary>tests/pglite in the source tree.</summary>
    public static string Folder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "pglite");
            if (File.Exists(Path.Combine(candidate, "package.json"))) return candidate;
        }
        throw new InvalidOperationException("tests/pglite/package.json not found above " + AppContext.BaseDirectory);
    }

    /// <summary>A loopback port nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }
}
