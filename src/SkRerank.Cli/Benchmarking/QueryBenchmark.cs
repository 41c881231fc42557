using System.Diagnostics;
using Microsoft.SemanticKernel;
using SkRerank.Cli.Composition;
using SkRerank.Embeddings;
using SkRerank.Plugin;
using SkRerank.Reranking;
using SkRerank.Search;

namespace SkRerank.Cli.Benchmarking;

/// <summary>
/// Warm query latency and concurrency of <c>search_movies</c> on one Semantic Kernel kernel over a built pipeline.
/// Every measured query is new to the process: the query-embedding caches are cleared before each one (latency), or
/// every query text is used once (concurrency), so no figure is a cache hit unless it says so.
/// </summary>
internal sealed class QueryBenchmark
{
    private readonly MovieSearchService _search;
    private readonly Kernel _kernel;
    private readonly KernelFunction _searchMovies;
    private readonly IReadOnlyList<QueryEmbeddingCache> _queryCaches;

    /// <param name="pipeline">The built pipeline.</param>
    /// <param name="search">The search service to measure: the pipeline's own, or one from <see cref="SearchPipeline.CreateSearch"/>.</param>
    public QueryBenchmark(SearchPipeline pipeline, MovieSearchService? search = null)
    {
        _search = search ?? pipeline.Search;
        _kernel = Kernel.CreateBuilder().Build();
        _kernel.Plugins.AddFromObject(new MovieSearchPlugin(_search), MovieSearchPlugin.PluginName);
        _searchMovies = _kernel.Plugins[MovieSearchPlugin.PluginName]["search_movies"];
        var generators = new List<Microsoft.Extensions.AI.IEmbeddingGenerator?> { pipeline.EmbeddingGenerator, _search.SecondaryEmbeddingGenerator };
        if (pipeline.Reranker?.GetService<SignalFusionReranker>() is { } fusion)
            generators.AddRange(fusion.Signals.Select(s => s.Signal).OfType<EmbeddingSimilaritySignal>().Select(s => s.Generator));
        _queryCaches = generators.Select(g => g?.GetService(typeof(QueryEmbeddingCache)) as QueryEmbeddingCache)
            .OfType<QueryEmbeddingCache>().Distinct().ToList();
        // Below those caches, the ONNX generators share one forward pass per recent query: cleared too, or a "new"
        // query would be a cache hit.
        _onnxGenerators = generators.Select(g => g?.GetService(typeof(Onnx.Embeddings.OnnxEmbeddingGenerator)) as Onnx.Embeddings.OnnxEmbeddingGenerator)
            .OfType<Onnx.Embeddings.OnnxEmbeddingGenerator>().Distinct().ToList();
    }

    private readonly IReadOnlyList<Onnx.Embeddings.OnnxEmbeddingGenerator> _onnxGenerators;

    public sealed record Latency(
        int Samples, double P50Ms, double P99Ms, double MeanMs, double CpuMsPerQuery,
        double EmbedP50Ms, double SearchP50Ms, double RerankP50Ms, double RepeatP50Ms);

    public sealed record Concurrency(int Callers, double SingleQps, double ConcurrentQps, double Speedup);

    public async Task<Latency> MeasureLatencyAsync(IReadOnlyList<string> queries, int rounds, CancellationToken cancellationToken)
    {
        // Unmeasured passes first: tiered JIT promotes hot methods only after ~30 calls and a quiet spell.
        for (var pass = 0; pass < 5; pass++)
            foreach (var query in queries) { ClearQueryCaches(); await SearchMoviesAsync(query, cancellationToken); }

        var total = new Samples();
        var cpu = TimeSpan.Zero;
        var process = Process.GetCurrentProcess();
        for (var round = 0; round < rounds; round++)
        {
            foreach (var query in queries)
            {
                ClearQueryCaches();
                process.Refresh();
                var cpuBefore = process.TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                await SearchMoviesAsync(query, cancellationToken);
                total.Add(clock.Elapsed.TotalMilliseconds);
                process.Refresh();
                cpu += process.TotalProcessorTime - cpuBefore;
            }
        }

        // Stage breakdown from the service's own timings (same queries, caches cleared again).
        Samples embed = new(), search = new(), rerank = new();
        foreach (var query in queries)
        {
            ClearQueryCaches();
            var response = await _search.SearchAsync(new MovieSearchRequest { Query = query }, cancellationToken);
            embed.Add(response.Timings.EmbedMs);
            search.Add(response.Timings.SearchMs);
            rerank.Add(response.Timings.RerankMs);
        }

        // The same queries once more without clearing: what an agent repeating itself sees.
        var repeat = new Samples();
        foreach (var query in queries)
        {
            await SearchMoviesAsync(query, cancellationToken);
            var clock = Stopwatch.StartNew();
            await SearchMoviesAsync(query, cancellationToken);
            repeat.Add(clock.Elapsed.TotalMilliseconds);
        }

        return new Latency(total.Count, total.Median, total.Percentile(99), total.Mean, cpu.TotalMilliseconds / total.Count,
            embed.Median, search.Median, rerank.Median, repeat.Median);
    }

    /// <summary>
    /// Throughput of one caller against <paramref name="callers"/> concurrent callers, alternating round by round; every
    /// query text is used once, so neither side is served from the query cache.
    /// </summary>
    public async Task<Concurrency> MeasureConcurrencyAsync(
        IReadOnlyList<string> pool, int callers, int rounds, int singleQueries, int concurrentQueries, CancellationToken cancellationToken)
    {
        var next = 0;
        string Take() => pool[Interlocked.Increment(ref next) % pool.Count];
        // Pool texts are new within one measurement; an earlier measurement may have used them.
        ClearQueryCaches();
        double singleSeconds = 0, concurrentSeconds = 0;
        // An unmeasured round first (round -1): the concurrent path runs code (contended locks, the reranker's
        // no-head-start branch) that the single caller never reached, and tier-0 JIT code is not throughput.
        for (var round = -1; round < rounds; round++)
        {
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < singleQueries; i++) await SearchMoviesAsync(Take(), cancellationToken);
            if (round >= 0) singleSeconds += clock.Elapsed.TotalSeconds;

            var remaining = concurrentQueries;
            clock.Restart();
            await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
            {
                while (Interlocked.Decrement(ref remaining) >= 0) await SearchMoviesAsync(Take(), cancellationToken);
            }, cancellationToken)));
            if (round >= 0) concurrentSeconds += clock.Elapsed.TotalSeconds;
        }
        var single = rounds * singleQueries / singleSeconds;
        var concurrent = rounds * concurrentQueries / concurrentSeconds;
        return new Concurrency(callers, single, concurrent, concurrent / single);
    }

    private void ClearQueryCaches()
    {
        foreach (var cache in _queryCaches) cache.Clear();
        foreach (var generator in _onnxGenerators) generator.ClearRecentQueries();
    }

    private async Task SearchMoviesAsync(string query, CancellationToken cancellationToken)
    {
        var result = await _searchMovies.InvokeAsync(_kernel, new KernelArguments { ["query"] = query }, cancellationToken);
        if (result.GetValue<IReadOnlyList<MovieSearchHit>>() is not { Count: > 0 })
            throw new InvalidOperationException($"search_movies returned nothing for '{query}'.");
    }
}
