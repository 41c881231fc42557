using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using SkRerank.Tests.HuggingFace;
using SkRerank.Tests.Support;

namespace SkRerank.Tests.Cli;

/// <summary>
/// <c>skrerank search --embeddings hf:OWNER/NAME</c> (or a model folder), run as a real process against a local fake
/// Hugging Face Hub serving a tiny sentence-transformers model the tests build.
/// </summary>
public sealed class HuggingFaceEmbeddingsCliTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private const string Repository = "tiny-org/tiny-embedder";

    // Large enough (over 1 MiB) for the CLI to show the graph's download progress.
    private static readonly Dictionary<string, byte[]> ModelFiles = TinySentenceTransformer.Files(graphPaddingBytes: 3 << 19);

    private readonly TempDirectory _temp = new();
    private FakeHuggingFaceHub? _hub;

    public async Task InitializeAsync()
    {
        _hub = await FakeHuggingFaceHub.StartAsync();
        _hub.Publish(Repository, ModelFiles);
    }

    public async Task DisposeAsync()
    {
        if (_hub is not null) await _hub.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task A_Hub_model_is_downloaded_once_with_progress_on_stderr_then_answers_from_the_cache_with_the_Hub_gone()
    {
        var dataset = CliProcess.WriteMovieSubset(_temp, 30);
        var cache = Path.Combine(_temp.Path, "cache");
        string[] args = ["search", "bats", "--embeddings", $"hf:{Repository}", "--reranker", "none", "--json", "--dataset", dataset, "--cache-dir", cache];

        var first = await CliProcess.RunAsync(args, HubEnvironment(_hub!.Endpoint));

        Assert.True(first.ExitCode == 0, first.ToString());
        var firstIds = ResultIds(first);
        Assert.Equal(5, firstIds.Count);
        Assert.Contains($"Downloading {Repository} onnx/model.onnx", first.Error);
        Assert.DoesNotContain("Downloading", first.Output);
        Assert.Single(_hub.Requests, r => r.Server == "cdn" && r.Method == "GET");
        var snapshot = Path.Combine(cache, "models", "models--tiny-org--tiny-embedder", "snapshots", FakeHuggingFaceHub.Commit);
        Assert.Equal(ModelFiles["onnx/model.onnx"], File.ReadAllBytes(Path.Combine(snapshot, "onnx", "model.onnx")));

        var endpoint = _hub.Endpoint;
        await _hub.DisposeAsync(); // the Hub is gone: the second run must not need it
        _hub = null;
        var second = await CliProcess.RunAsync(args, HubEnvironment(endpoint));

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.DoesNotContain("Downloading", second.Error);
        Assert.Equal(firstIds, ResultIds(second));
    }

    [Fact]
    public async Task A_model_folder_in_the_Hub_layout_answers_without_the_Hub()
    {
        var folder = Path.Combine(_temp.Path, "tiny-embedder");
        foreach (var (path, content) in ModelFiles)
        {
            var file = Path.Combine(folder, path);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllBytes(file, content);
        }

        var dataset = CliProcess.WriteMovieSubset(_temp, 30);
        var cache = Path.Combine(_temp.Path, "cache");
        var result = await CliProcess.RunAsync(
            ["search", "bats", "--embeddings", folder, "--reranker", "none", "--json", "--dataset", dataset, "--cache-dir", cache],
            HubEnvironment(_hub!.Endpoint));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(5, ResultIds(result).Count);
        Assert.Empty(_hub.Requests); // read from the folder, not downloaded
        Assert.False(Directory.Exists(Path.Combine(cache, "models", "models--tiny-org--tiny-embedder")));
    }

    [Fact]
    public async Task An_unreachable_Hub_is_one_error_line_naming_the_model_and_the_host_and_leaves_no_file_in_the_cache()
    {
        var dataset = CliProcess.WriteMovieSubset(_temp, 5);
        var cache = Path.Combine(_temp.Path, "cache");
        var clock = Stopwatch.StartNew();
        var result = await CliProcess.RunAsync(
            ["search", "bats", "--embeddings", $"hf:{Repository}", "--reranker", "none", "--json", "--dataset", dataset, "--cache-dir", cache],
            HubEnvironment($"http://127.0.0.1:{ClosedPort()}"));
        output.WriteLine($"failed after {clock.ElapsedMilliseconds} ms; stderr: {result.Error}");

        Assert.True(result.ExitCode == 1, result.ToString());
        var errors = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 1, result.ToString());
        Assert.Contains(Repository, errors[0]);
        Assert.Contains("127.0.0.1", errors[0]);
        Assert.DoesNotContain("   at ", result.Error);
        Assert.DoesNotContain("Loading ", result.Error); // failed before any model started loading
        Assert.Equal("", result.Output);
        var left = Directory.Exists(cache) ? Directory.GetFiles(cache, "*", SearchOption.AllDirectories) : [];
        Assert.DoesNotContain(left, f => f.Contains("snapshots", StringComparison.Ordinal) || (f.Contains("blobs", StringComparison.Ordinal) && !f.EndsWith(".partial", StringComparison.Ordinal)));
    }

    private static Dictionary<string, string?> HubEnvironment(string endpoint) => new()
    {
        ["HF_ENDPOINT"] = endpoint,
        ["HF_TOKEN"] = null,
        ["HF_HUB_OFFLINE"] = null,
    };

    private static List<string> ResultIds(CliRun run)
    {
        using var json = JsonDocument.Parse(run.Output);
        return json.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("id").ToString()).ToList();
    }

    // A port nothing listens on: connections are refused at once.
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
