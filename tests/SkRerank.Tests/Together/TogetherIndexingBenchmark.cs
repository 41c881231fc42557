using System.Diagnostics;
using SkRerank.Embeddings;
using SkRerank.Indexing;
using SkRerank.Movies;
using SkRerank.Tests.Support;
using SkRerank.VectorStore;
using Xunit.Abstractions;

namespace SkRerank.Tests.Together;

/// <summary>
/// Indexing 1000 movies through Together (fake server, 100 ms per request) behind the disk cache, as the CLI does: the
/// indexer's old 64-text calls (one request in flight) against calls sized by the generator (128 × 4 in flight).
/// </summary>
[Trait("Category", "Benchmark")]
public class TogetherIndexingBenchmark(ITestOutputHelper output)
{
    [BenchmarkFact]
    public async Task Indexing_throughput_with_64_text_calls_and_with_the_generators_batching()
    {
        await using var server = await FakeTogetherServer.StartAsync();
        var movies = (await MovieDataset.LoadAsync(SharedData.MoviesJson ?? throw new InvalidOperationException("shared movies.json is missing"))).Take(1000).ToList();
        using var clients = TogetherTestSetup.Create(server, o => o.Timeout = TimeSpan.FromSeconds(30));
        await clients.EmbeddingGenerator.GenerateAsync(movies.Select(m => m.ToEmbeddingText()).ToList()); // warm the fake and JIT

        output.WriteLine("| indexer call size | requests | peak in flight | seconds | movies/s |");
        output.WriteLine("|---|---|---|---|---|");
        foreach (var chunk in new int?[] { 64, null })
        {
            server.Latency = TimeSpan.FromMilliseconds(100);
            server.ResetRecording();
            using var temp = new TempDirectory();
            using var cache = new DiskCachingEmbeddingGenerator(clients.EmbeddingGenerator, temp.Path);
            var collection = new InMemoryVectorStoreCollection<int, Movie>("movies", new InMemoryCollectionOptions { Definition = MovieCollectionDefinition.Create(1024) });
            var watch = Stopwatch.StartNew();
            var report = await new MovieIndexer(collection, cache, new MovieCatalog()) { ChunkSize = chunk }.IndexAsync(movies);
            watch.Stop();
            Assert.Equal(movies.Count, report.Embedded);
            output.WriteLine($"| {chunk?.ToString() ?? "generator's (512)"} | {server.RequestCount} | {server.PeakConcurrency} | {watch.Elapsed.TotalSeconds:0.00} | {movies.Count / watch.Elapsed.TotalSeconds:0} |");
        }
    }
}
