using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SkRerank.Tests.Support;

namespace SkRerank.Tests.HuggingFace;

/// <summary>
/// A Hugging Face Hub on 127.0.0.1 with the Hub's wire format: <c>/{owner}/{name}/resolve/{revision}/{path}</c> answers
/// HEAD and GET with <c>X-Repo-Commit</c>; files in Git get their Git blob SHA-1 as <c>ETag</c>; LFS files (<c>*.onnx</c>)
/// get a 302 to a CDN on another port with <c>X-Linked-Etag</c> (SHA-256) and <c>X-Linked-Size</c>; a missing file is a
/// 404 with <c>X-Error-Code: EntryNotFound</c>, an unknown repository a 401 with <c>RepoNotFound</c>. The CDN honours
/// Range requests. Faults can be scheduled per file.
/// </summary>
internal sealed class FakeHuggingFaceHub : IAsyncDisposable
{
    public const string Commit = "0123456789abcdef0123456789abcdef01234567";

    private readonly Dictionary<string, Dictionary<string, byte[]>> _repositories = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte[]> _blobs = new();
    private readonly ConcurrentDictionary<string, Fault> _faults = new();
    private WebApplication _hub = null!;
    private WebApplication _cdn = null!;

    private FakeHuggingFaceHub()
    {
    }

    /// <summary>Faults for the next download of a file.</summary>
    public enum Fault
    {
        /// <summary>Send half of the file and end the response there.</summary>
        CutHalfway,

        /// <summary>Send half of the file, then wait until the client gives up.</summary>
        StallHalfway,

        /// <summary>Send the whole file with one byte changed.</summary>
        Corrupt,
    }

    public string Endpoint { get; private set; } = "";

    public string CdnRoot { get; private set; } = "";

    /// <summary>When set, the Hub answers 401 to requests without <c>Authorization: Bearer {token}</c>.</summary>
    public string? RequiredToken { get; set; }

    public ConcurrentQueue<Request> Requests { get; } = new();

    public static async Task<FakeHuggingFaceHub> StartAsync()
    {
        var hub = new FakeHuggingFaceHub();
        (hub._hub, hub.Endpoint) = await LoopbackWebApp.StartAsync(hub.HandleHubAsync);
        (hub._cdn, hub.CdnRoot) = await LoopbackWebApp.StartAsync(hub.HandleCdnAsync);
        return hub;
    }

    public void Publish(string repository, Dictionary<string, byte[]> files)
    {
        lock (_repositories) _repositories[repository] = new Dictionary<string, byte[]>(files, StringComparer.Ordinal);
        foreach (var file in files.Values) _blobs[Sha256(file)] = file;
    }

    public void FailNextDownload(string path, Fault fault) => _faults[path] = fault;

    public int Count(string method, string pathSuffix) =>
        Requests.Count(r => r.Method == method && r.Path.EndsWith(pathSuffix, StringComparison.Ordinal));

    public static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    public static string GitBlobSha1(byte[] content) =>
        Convert.ToHexStringLower(SHA1.HashData([.. Encoding.ASCII.GetBytes($"blob {content.Length}\0"), .. content]));

    public async ValueTask DisposeAsync()
    {
        await _hub.DisposeAsync();
        await _cdn.DisposeAsync();
    }

    private async Task HandleHubAsync(HttpContext context)
    {
        var request = context.Request;
        Requests.Enqueue(new Request("hub", request.Method, request.Path.Value!, request.Headers.Authorization.ToString(), request.Headers.Range.ToString()));
        var response = context.Response;
        // /{owner}/{name}/resolve/{revision}/{path...}
        var parts = request.Path.Value!.TrimStart('/').Split('/', 5);
        if (parts.Length < 5 || parts[2] != "resolve")
        {
            response.StatusCode = 404;
            return;
        }

        var repository = $"{parts[0]}/{parts[1]}";
        var path = Uri.UnescapeDataString(parts[4]);
        Dictionary<string, byte[]>? files;
        lock (_repositories) _repositories.TryGetValue(repository, out files);
        if (files is null || (RequiredToken is not null && request.Headers.Authorization != $"Bearer {RequiredToken}"))
        {
            response.StatusCode = 401;
            response.Headers["X-Error-Code"] = "RepoNotFound";
            return;
        }

        response.Headers["X-Repo-Commit"] = Commit;
        if (!files.TryGetValue(path, out var content))
        {
            response.StatusCode = 404;
            response.Headers["X-Error-Code"] = "EntryNotFound";
            return;
        }

        if (path.EndsWith(".onnx", StringComparison.Ordinal))
        {
            var sha = Sha256(content);
            response.StatusCode = 302;
            response.Headers.Location = $"{CdnRoot}/repos/{sha}";
            response.Headers["X-Linked-Etag"] = $"\"{sha}\"";
            response.Headers["X-Linked-Size"] = content.Length.ToString();
            response.Headers.ETag = $"\"{GitBlobSha1(Encoding.ASCII.GetBytes("lfs pointer"))}\"";
            return;
        }

        response.Headers.ETag = $"\"{GitBlobSha1(content)}\"";
        await SendAsync(context, path, content);
    }

    private async Task HandleCdnAsync(HttpContext context)
    {
        var request = context.Request;
        Requests.Enqueue(new Request("cdn", request.Method, request.Path.Value!, request.Headers.Authorization.ToString(), request.Headers.Range.ToString()));
        var sha = request.Path.Value!.Split('/').Last();
        if (!_blobs.TryGetValue(sha, out var content))
        {
            context.Response.StatusCode = 404;
            return;
        }

        var path = _repositories.Values.SelectMany(f => f).First(f => Sha256(f.Value) == sha).Key;
        context.Response.Headers.ETag = $"\"{sha}\"";
        await SendAsync(context, path, content);
    }

    private async Task SendAsync(HttpContext context, string path, byte[] content)
    {
        var response = context.Response;
        var from = 0;
        if (context.Request.Headers.Range.ToString() is { Length: > 0 } range && range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-'))
        {
            from = int.Parse(range["bytes=".Length..^1]);
            if (from >= content.Length)
            {
                response.StatusCode = 416;
                return;
            }

            response.StatusCode = 206;
            response.Headers.ContentRange = $"bytes {from}-{content.Length - 1}/{content.Length}";
        }

        response.Headers.AcceptRanges = "bytes";
        var body = content.AsMemory(from);
        var fault = Fault.Corrupt;
        var faulty = !HttpMethods.IsHead(context.Request.Method) && _faults.TryRemove(path, out fault);
        // A cut body goes out without a length, so that it ends cleanly and short (a reset could also drop the part sent).
        if (!faulty || fault != Fault.CutHalfway) response.ContentLength = content.Length - from;
        if (HttpMethods.IsHead(context.Request.Method)) return;
        if (!faulty)
        {
            await response.Body.WriteAsync(body);
            return;
        }

        switch (fault)
        {
            case Fault.Corrupt:
                var corrupted = body.ToArray();
                corrupted[corrupted.Length / 2] ^= 0xFF;
                await response.Body.WriteAsync(corrupted);
                break;
            case Fault.CutHalfway:
                await response.Body.WriteAsync(body[..(body.Length / 2)]);
                break;
            case Fault.StallHalfway:
                await response.Body.WriteAsync(body[..(body.Length / 2)]);
                await response.Body.FlushAsync();
                try
                {
                    await Task.Delay(Timeout.Infinite, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                }

                break;
        }
    }

    public sealed record Request(string Server, string Method, string Path, string Authorization, string Range);
}
