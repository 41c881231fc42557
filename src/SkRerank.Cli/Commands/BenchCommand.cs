using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using SkRerank.Cli.Benchmarking;
using SkRerank.Cli.Composition;
using SkRerank.Embeddings;
using SkRerank.Evaluation;
using Microsoft.Extensions.Logging;
using SkRerank.Movies;

namespace SkRerank.Cli.Commands;

/// <summary>
/// <c>skrerank bench</c>: every performance measurement of the offline pipeline in one process, each beside the peer it
/// is judged against (measured in the same run, so machine load affects both): warm query latency and its stages,
/// concurrency, cold start, indexing throughput and FLOP-peak fraction, and the vector store at scale. Fields are
/// documented in docs/performance.md.
/// </summary>
internal static class BenchCommand
{
    private static readonly string[] AllSections = ["query", "concurrency", "coldstart", "indexing", "scale"];

    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of a table." };
        var quick = new Option<bool>("--quick") { Description = $"A reduced run (the first {QuickMovies} movies, fewer texts, queries and sizes; no 1M vectors) that finishes in about a minute." };
        var sections = new Option<string[]>("--section")
        {
            Description = $"Run only these sections (repeatable): {string.Join(", ", AllSections)}. Default: all.",
            AllowMultipleArgumentsPerToken = true,
        };

        var command = new Command("bench", "Measure indexing throughput, query latency, cold start, concurrency and vector-store scaling, with peers.")
        {
            json, quick, sections,
        };
        command.SetAction((result, cancellationToken) => CliRunner.RunAsync(result, cancellationToken, async (context, ct) =>
        {
            var settings = CliOptions.ReadSettings(result);
            if (settings.Provider != "local" || settings.Embeddings is not (null or "arctic") || settings.Reranker is not (null or "local"))
                throw new CliException("bench measures the offline defaults (arctic embeddings, local reranker); drop --provider/--embeddings/--reranker.");
            var isQuick = result.GetValue(quick);
            var only = result.GetValue(sections) is { Length: > 0 } chosen ? chosen.Select(s => s.ToLowerInvariant()).ToHashSet() : [.. AllSections];
            if (only.Except(AllSections).FirstOrDefault() is { } unknown)
                throw new CliException($"Unknown --section '{unknown}'; use one of: {string.Join(", ", AllSections)}.");

            var log = context.Error;
            using var scratch = isQuick ? new ScratchDirectory() : null;
            if (scratch is not null) settings = settings with { Dataset = await QuickSubsetAsync(settings.Dataset, scratch.Path, context, ct) };
            var report = new JsonObject
            {
                ["quick"] = isQuick,
                ["machine"] = Machine(),
            };

            string datasetPath;
            IReadOnlyList<Movie> movies;
            {
                log.WriteLine("Building the offline pipeline (embeddings come from the cache when warm)...");
                await using var pipeline = await SearchPipeline.BuildAsync(settings, context.LoggerFactory, log, ct);
                datasetPath = pipeline.DatasetPath;
                movies = pipeline.Movies;
                var bench = new QueryBenchmark(pipeline);
                var headStartBench = new QueryBenchmark(pipeline, pipeline.CreateSearch(o => o.RerankerQueryHeadStart = true));

                if (only.Contains("query"))
                {
                    var queries = await DevQueriesAsync(ct);
                    log.WriteLine($"  query: {queries.Count} queries x {(isQuick ? 1 : 5)} rounds");
                    var latency = await bench.MeasureLatencyAsync(queries, isQuick ? 1 : 5, ct);
                    report["queryP50Ms"] = Round(latency.P50Ms);
                    report["queryP99Ms"] = Round(latency.P99Ms);
                    report["queryMeanMs"] = Round(latency.MeanMs);
                    report["queryCpuMs"] = Round(latency.CpuMsPerQuery);
                    report["querySamples"] = latency.Samples;
                    report["stageP50Ms"] = new JsonObject
                    {
                        ["embed"] = Round(latency.EmbedP50Ms),
                        ["search"] = Round(latency.SearchP50Ms),
                        ["rerank"] = Round(latency.RerankP50Ms),
                    };
                    report["repeatQueryP50Ms"] = Round(latency.RepeatP50Ms);

                    // The same queries with the reranker's query work started early on the other core (an option, off
                    // by default): lower latency for a lone caller, fewer searches per second for many.
                    var headStart = await headStartBench.MeasureLatencyAsync(queries, isQuick ? 1 : 5, ct);
                    report["headStartQueryP50Ms"] = Round(headStart.P50Ms);
                    report["headStartQueryP99Ms"] = Round(headStart.P99Ms);
                }

                if (only.Contains("concurrency"))
                {
                    var pool = ConcurrencyQueries(movies);
                    log.WriteLine("  concurrency: 1 caller vs 8 callers on one kernel");
                    Task<QueryBenchmark.Concurrency> Measure(QueryBenchmark b) => isQuick
                        ? b.MeasureConcurrencyAsync(pool, callers: 8, rounds: 1, singleQueries: 8, concurrentQueries: 16, ct)
                        : b.MeasureConcurrencyAsync(pool, callers: 8, rounds: 4, singleQueries: 30, concurrentQueries: 90, ct);
                    var concurrency = await Measure(bench);
                    report["concurrencySpeedup"] = Round(concurrency.Speedup);
                    report["concurrencyCallers"] = concurrency.Callers;
                    report["singleCallerQps"] = Round(concurrency.SingleQps);
                    report["concurrentQps"] = Round(concurrency.ConcurrentQps);
                    var headStart = await Measure(headStartBench);
                    report["headStartConcurrencySpeedup"] = Round(headStart.Speedup);
                    report["headStartSingleCallerQps"] = Round(headStart.SingleQps);
                    report["headStartConcurrentQps"] = Round(headStart.ConcurrentQps);
                }
            }

            if (only.Contains("coldstart"))
            {
                var runs = isQuick ? 1 : 5;
                log.WriteLine($"  cold start: {runs} x skrerank search (warm cache)");
                var shared = new[] { "--dataset", datasetPath, "--cache-dir", CacheDirectory.Resolve(settings.CacheDir) };
                var coldStart = await ColdStartBenchmark.RunAsync(shared, runs, ct);
                report["coldStartMs"] = Round(coldStart.Median);
                report["coldStartMinMs"] = Round(coldStart.Min);
                report["coldStartRuns"] = coldStart.Count;
            }

            if (only.Contains("indexing"))
            {
                var texts = movies.Select(m => m.ToEmbeddingText()).Take(isQuick ? 64 : int.MaxValue).ToArray();
                var oursModel = ComponentFactory.LocalEmbeddingModel(settings.EffectiveEmbeddings, CacheDirectory.Resolve(settings.CacheDir));
                log.WriteLine($"  indexing: {texts.Length} texts, ours ({oursModel.ModelId}) vs ours fp32 vs naive vs SentenceTransformers peers");
                var indexing = await IndexingBenchmark.RunAsync(oursModel, texts, groupSize: isQuick ? 32 : 125, chunkSize: 64, log, ct);
                report["indexModel"] = indexing.OursModel;
                report["indexTexts"] = indexing.Texts;
                report["indexTokens"] = indexing.Tokens;
                report["indexTokensPerSec"] = Round(indexing.OursTokensPerSec);
                report["indexFp32TokensPerSec"] = Round(indexing.OursFp32TokensPerSec);
                report["naiveTokensPerSec"] = Round(indexing.NaiveTokensPerSec);
                report["peerTokensPerSec"] = Round(indexing.PeerTokensPerSec);
                report["peerMiniLmTokensPerSec"] = Round(indexing.PeerMiniLmTokensPerSec);
                report["indexSpeedupVsNaive"] = Round(indexing.OursTokensPerSec / indexing.NaiveTokensPerSec);
                report["indexFp32SpeedupVsNaive"] = Round(indexing.OursFp32TokensPerSec / indexing.NaiveTokensPerSec);
                report["indexSpeedupVsFp32"] = Round(indexing.OursTokensPerSec / indexing.OursFp32TokensPerSec);
                report["indexSpeedupVsPeer"] = Round(indexing.OursTokensPerSec / indexing.PeerTokensPerSec);
                report["indexSpeedupVsPeerMiniLm"] = Round(indexing.OursTokensPerSec / indexing.PeerMiniLmTokensPerSec);
                report["flopsPerToken"] = Math.Round(indexing.FlopsPerToken);
                report["indexGflops"] = Round(indexing.OursGflops);
                report["indexFp32Gflops"] = Round(indexing.OursFp32Gflops);
                report["matMulPeakGflops"] = Round(indexing.MatMulPeakGflops);
                report["int8MatMulPeakGops"] = Round(indexing.Int8MatMulPeakGops);
                report["flopPeakFraction"] = Math.Round(indexing.FlopPeakFraction, 3);
                report["fp32FlopPeakFraction"] = Math.Round(indexing.Fp32FlopPeakFraction, 3);
                report["fp32EquivalentPeakFraction"] = Math.Round(indexing.OursGflops / indexing.MatMulPeakGflops, 3);
            }

            if (only.Contains("scale"))
            {
                int[] sizes = isQuick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000];
                var points = await ScaleBenchmark.RunAsync(sizes, queries: isQuick ? 10 : 30, log, ct);
                report["scale"] = new JsonArray(points.Select(p => (JsonNode)new JsonObject
                {
                    ["vectors"] = p.Vectors,
                    ["filtered"] = p.Filtered,
                    ["p50Ms"] = Round(p.P50Ms),
                    ["boundMs"] = Round(p.BoundMs),
                    ["ratio"] = Round(p.P50Ms / p.BoundMs),
                    ["bytesPerVector"] = Math.Round(p.BytesPerVector),
                    ["bandwidthGBps"] = Round(p.BandwidthGBps),
                }).ToArray());
            }

            report["machine"]!["loadAverageAfter"] = LoadAverage();
            if (result.GetValue(json)) context.Output.WriteLine(report.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            else WriteTable(context.Output, report);
            return 0;
        }));
        return command;
    }

    // --quick searches the first QuickMovies movies, so that a cold embedding cache (CI) costs seconds, not minutes.
    private const int QuickMovies = 200;

    private static async Task<string> QuickSubsetAsync(string? dataset, string folder, CliContext context, CancellationToken cancellationToken)
    {
        var source = await new MovieDatasetLocator(logger: context.LoggerFactory.CreateLogger("SkRerank.Cli"))
            .LocateAsync(dataset, cancellationToken: cancellationToken);
        using var document = JsonDocument.Parse(await File.ReadAllBytesAsync(source, cancellationToken));
        var subset = document.RootElement.EnumerateArray().Take(QuickMovies).Select(e => e.GetRawText());
        var path = Path.Combine(folder, "movies.json");
        await File.WriteAllTextAsync(path, "[" + string.Join(",\n", subset) + "]", cancellationToken);
        return path;
    }

    /// <summary>A temporary folder, deleted on dispose.</summary>
    private sealed class ScratchDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateDirectory(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "skrerank-bench-" + Guid.NewGuid().ToString("N"))).FullName;

        public void Dispose()
        {
            try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task<IReadOnlyList<string>> DevQueriesAsync(CancellationToken cancellationToken)
    {
        if (EvalCommand.FindDevQrels() is { } path) return (await QrelsFile.LoadAsync(path, cancellationToken)).Select(q => q.Query).ToList();
        // Without the shared dev set (e.g. a bare clone in CI), a few queries of the same kind.
        return
        [
            "super hero mystery action movie about bats",
            "a heist that goes wrong",
            "animated film about toys that come alive",
            "space exploration and time dilation",
            "romantic comedy in new york",
            "vampire movies, not teen romance like Twilight",
        ];
    }

    // Taglines are query-like (short, descriptive) and distinct: each text is used once, so no query is a cache hit.
    private static IReadOnlyList<string> ConcurrencyQueries(IReadOnlyList<Movie> movies) =>
        movies.Select(m => m.Tagline).OfType<string>().Where(t => t.Length >= 12).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    private static JsonObject Machine() => new()
    {
        ["processorCount"] = Environment.ProcessorCount,
        ["os"] = RuntimeInformation.OSDescription,
        ["runtime"] = RuntimeInformation.FrameworkDescription,
        ["avx2"] = System.Runtime.Intrinsics.X86.Avx2.IsSupported,
        ["loadAverageBefore"] = LoadAverage(),
    };

    // The 1-minute load average (Linux): how many other runnable threads shared the cores; null elsewhere.
    private static double? LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg")
                ? double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture)
                : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static double Round(double value) => Math.Round(value, value >= 100 ? 0 : 2);

    private static void WriteTable(TextWriter writer, JsonObject r)
    {
        string F(string key, string unit = "") => r[key] is { } v ? $"{v}{unit}" : "-";
        string Ratio(string a, string b) => r[a] is { } x && r[b] is { } y && y.GetValue<double>() > 0 ? $"{x.GetValue<double>() / y.GetValue<double>():0.00}x" : "-";
        var machine = r["machine"]!;
        writer.WriteLine($"skrerank bench{(r["quick"]!.GetValue<bool>() ? " --quick" : "")}: {machine["processorCount"]} cores, load average {machine["loadAverageBefore"]} -> {machine["loadAverageAfter"]}");
        writer.WriteLine();
        writer.WriteLine($"{"measurement",-40} {"ours",12} {"peer",12} {"ratio",8}  target");
        void Row(string name, string ours, string peer, string ratio, string target) =>
            writer.WriteLine($"{name,-40} {ours,12} {peer,12} {ratio,8}  {target}");
        Row("indexing tokens/s vs naive loop", F("indexTokensPerSec"), F("naiveTokensPerSec"), Ratio("indexTokensPerSec", "naiveTokensPerSec"), ">= 1.5x");
        Row("indexing tokens/s vs ST.ArcticXs", F("indexTokensPerSec"), F("peerTokensPerSec"), Ratio("indexTokensPerSec", "peerTokensPerSec"), ">= 1.5x");
        Row("indexing tokens/s vs ST.MiniLM", F("indexTokensPerSec"), F("peerMiniLmTokensPerSec"), Ratio("indexTokensPerSec", "peerMiniLmTokensPerSec"), ">= 1.5x");
        Row("indexing tokens/s int8 vs fp32 generator", F("indexTokensPerSec"), F("indexFp32TokensPerSec"), Ratio("indexTokensPerSec", "indexFp32TokensPerSec"), "report");
        Row("indexing fp32 tokens/s vs naive loop", F("indexFp32TokensPerSec"), F("naiveTokensPerSec"), Ratio("indexFp32TokensPerSec", "naiveTokensPerSec"), "report");
        Row("indexing GFLOP/s vs fp32 MatMul peak", F("indexGflops"), F("matMulPeakGflops"), F("fp32EquivalentPeakFraction"), "report");
        Row("  int8 MatMul peak GOP/s; peak fraction", F("int8MatMulPeakGops"), "", F("flopPeakFraction"), "report");
        Row("  fp32 generator GFLOP/s; peak fraction", F("indexFp32Gflops"), F("matMulPeakGflops"), F("fp32FlopPeakFraction"), "report");
        Row("query p50 / p99 ms (search_movies)", $"{F("queryP50Ms")}/{F("queryP99Ms")}", "", "", "<= 20 / <= 50");
        if (r["stageP50Ms"] is JsonObject stages)
            Row("  stages p50 ms: embed/search/rerank", $"{stages["embed"]}/{stages["search"]}/{stages["rerank"]}", "", "", "");
        Row("  CPU ms per query", F("queryCpuMs"), "", "", "");
        Row("  repeated query p50 ms (cached)", F("repeatQueryP50Ms"), "", "", "");
        Row("cold start ms (skrerank search)", F("coldStartMs"), "", "", "<= 2000");
        Row("8 callers vs 1 caller, queries/s", F("concurrentQps"), F("singleCallerQps"), F("concurrencySpeedup", "x"), ">= 1.6x");
        Row("  with reranker head start: p50/p99 ms", $"{F("headStartQueryP50Ms")}/{F("headStartQueryP99Ms")}", "", "", "");
        Row("  with reranker head start: 8 vs 1, q/s", F("headStartConcurrentQps"), F("headStartSingleCallerQps"), F("headStartConcurrencySpeedup", "x"), "");
        if (r["scale"] is JsonArray scale)
        {
            foreach (var p in scale)
                Row($"scan {p!["vectors"]:N0}{(p["filtered"]!.GetValue<bool>() ? " filtered" : "")} p50 ms vs bound", F2(p["p50Ms"]), F2(p["boundMs"]), $"{p["ratio"]}x", $"<= 2x ({p["bytesPerVector"]} B/record)");
        }

        static string F2(JsonNode? node) => node?.ToString() ?? "-";
    }
}
