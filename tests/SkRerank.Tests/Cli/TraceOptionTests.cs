using System.Text.Json;
using System.Text.RegularExpressions;
using SkRerank.Tests.Support;

namespace SkRerank.Tests.Cli;

/// <summary><c>skrerank search --trace</c>: the span tree on stderr, stdout untouched.</summary>
public class TraceOptionTests
{
    [Fact]
    public async Task Trace_prints_the_span_tree_with_durations_on_stderr_and_leaves_the_json_on_stdout_unchanged()
    {
        using var temp = new TempDirectory();
        var dataset = CliProcess.WriteMovieSubset(temp, 40);
        string[] args = ["search", "batman joker gotham", "--json", "--top", "3", "--dataset", dataset, "--cache-dir", temp.File("cache")];

        var plain = await CliProcess.RunAsync(args);
        var traced = await CliProcess.RunAsync([.. args, "--trace"]);

        Assert.True(plain.ExitCode == 0, plain.Error);
        Assert.True(traced.ExitCode == 0, traced.Error);
        Assert.DoesNotContain("skrerank.search", plain.Error);
        // One line per span, indented under its parent, each with its duration in ms.
        foreach (var (span, indent) in new[] { ("skrerank.search", 2), ("skrerank.embed_query", 4), ("skrerank.first_stage", 4), ("skrerank.rerank", 4) })
            Assert.Matches(new Regex($"^ {{{indent}}}{Regex.Escape(span)}  \\d+\\.\\d ms", RegexOptions.Multiline), traced.Error);
        // The reranker's own span (OpenTelemetryReranker) sits under the rerank stage.
        // The local reranker reads up to 150 candidates: all 40 movies here.
        Assert.Matches(new Regex(@"^ {6}rerank local-fusion.* \d+\.\d ms .*rerank\.documents=40", RegexOptions.Multiline), traced.Error);
        Assert.Contains("candidates=40", traced.Error);

        Assert.Equal(WithoutTimings(plain.Output), WithoutTimings(traced.Output));
    }

    [Fact]
    public async Task With_OTEL_EXPORTER_OTLP_ENDPOINT_set_the_search_spans_and_metrics_are_exported_over_otlp()
    {
        var received = new List<(string Path, string Body)>();
        var (app, root) = await LoopbackWebApp.StartAsync(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            // Protobuf keeps strings as UTF-8 bytes, so span and instrument names can be found in the payload.
            lock (received) received.Add((context.Request.Path.Value ?? "", System.Text.Encoding.UTF8.GetString(body.ToArray())));
            context.Response.StatusCode = 200;
        });
        await using var _ = app;
        using var temp = new TempDirectory();
        var dataset = CliProcess.WriteMovieSubset(temp, 40);

        var result = await CliProcess.RunAsync(
            ["search", "batman joker gotham", "--json", "--dataset", dataset, "--cache-dir", temp.File("cache")],
            new Dictionary<string, string?>
            {
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = root,
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            });

        Assert.True(result.ExitCode == 0, result.Error);
        List<(string Path, string Body)> requests;
        lock (received) requests = [.. received];
        var traces = string.Concat(requests.Where(r => r.Path == "/v1/traces").Select(r => r.Body));
        foreach (var span in new[] { "skrerank.search", "skrerank.embed_query", "skrerank.first_stage", "skrerank.rerank" })
            Assert.Contains(span, traces);
        Assert.Contains("skrerank", traces); // service.name
        var metrics = string.Concat(requests.Where(r => r.Path == "/v1/metrics").Select(r => r.Body));
        Assert.Contains("skrerank.search.duration", metrics);
    }

    // Everything but the timings, which differ from run to run.
    private static string WithoutTimings(string json)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        Assert.NotNull(node["timings"]);
        node.Remove("timings");
        return node.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }
}
