using System.Diagnostics;
using SkRerank.Together;
using Xunit.Abstractions;

namespace SkRerank.Tests.Together;

/// <summary>A test that runs only when SKRERANK_BENCHMARK=1, and is reported as skipped otherwise.</summary>
public sealed class BenchmarkFactAttribute : FactAttribute
{
    /// <summary>Skips unless asked for.</summary>
    public BenchmarkFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("SKRERANK_BENCHMARK") != "1")
        {
            Skip = "Set SKRERANK_BENCHMARK=1 to run benchmarks.";
        }
    }
}

/// <summary>Wall time of embedding 1000 movie-sized texts through the fake server with 100 ms latency per request.</summary>
[Trait("Category", "Benchmark")]
public class TogetherEmbeddingBenchmark(ITestOutputHelper output)
{
    [BenchmarkFact]
    public async Task Batch_size_and_concurrency_against_the_latency_bound()
    {
        await using var server = await FakeTogetherServer.StartAsync();
        var random = new Random(42);
        string[] vocabulary = ["hero", "city", "night", "crime", "bats", "love", "space", "war", "family", "secret", "journey", "house", "dream", "music", "ghost", "island"];
        var texts = Enumerable.Range(0, 1000)
            .Select(i => $"Movie {i}. " + string.Join(' ', Enumerable.Range(0, 80).Select(_ => vocabulary[random.Next(vocabulary.Length)])))
            .ToList();
        var latency = TimeSpan.FromMilliseconds(100);
        using (var warm = TogetherTestSetup.Create(server))
        {
            await warm.EmbeddingGenerator.GenerateAsync(texts); // fills the fake's vector cache and JITs both sides
        }

        output.WriteLine("| batch | concurrency | requests | rounds | lower bound (ms) | measured (ms) | overhead (ms) | overhead per round (ms) |");
        output.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var batch in new[] { 32, 128, 512 })
        {
            foreach (var concurrency in new[] { 1, 4 })
            {
                using var clients = TogetherTestSetup.Create(server, o => { o.EmbeddingBatchSize = batch; o.MaxConcurrency = concurrency; o.Timeout = TimeSpan.FromSeconds(30); });
                server.Latency = TimeSpan.Zero;
                await clients.EmbeddingGenerator.GenerateAsync(texts.Take(batch)); // warm up JIT and connections
                server.Latency = latency;
                server.ResetRecording();

                var watch = Stopwatch.StartNew();
                var embeddings = await clients.EmbeddingGenerator.GenerateAsync(texts);
                watch.Stop();

                Assert.Equal(1000, embeddings.Count);
                var requests = (1000 + batch - 1) / batch;
                var rounds = (requests + concurrency - 1) / concurrency;
                var bound = rounds * latency.TotalMilliseconds;
                Assert.Equal(requests, server.RequestCount);
                Assert.True(server.PeakConcurrency <= concurrency);
                output.WriteLine($"| {batch} | {concurrency} | {requests} | {rounds} | {bound:0} | {watch.Elapsed.TotalMilliseconds:0} | {watch.Elapsed.TotalMilliseconds - bound:0} | {(watch.Elapsed.TotalMilliseconds - bound) / rounds:0} |");
            }
        }
    }
}
