using System.Numerics.Tensors;
using Microsoft.Extensions.VectorData;
using SkRerank.VectorStore;

namespace SkRerank.Tests.VectorStore;

public class SearchCorrectnessTests
{
    private const int Count = 5000;
    // 5000 × 128 floats is large enough for the scan to split across cores when allowed.
    private const int Dimensions = 128;

    private sealed class Point
    {
        [VectorStoreKey]
        public int Id { get; set; }

        [VectorStoreData(IsIndexed = true)]
        public int Bucket { get; set; }

        [VectorStoreVector(Dimensions)]
        public float[]? Vector { get; set; }
    }

    private static Point[] RandomPoints(int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, Count).Select(i => new Point
        {
            Id = i,
            Bucket = i % 7,
            Vector = Enumerable.Range(0, Dimensions).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray(),
        }).ToArray();
    }

    private static async Task<InMemoryVectorStoreCollection<int, Point>> CollectionAsync(Point[] points, string distanceFunction, int parallelism)
    {
        var definition = new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty(nameof(Point.Id), typeof(int)),
                new VectorStoreDataProperty(nameof(Point.Bucket), typeof(int)),
                new VectorStoreVectorProperty(nameof(Point.Vector), typeof(float[]), Dimensions) { DistanceFunction = distanceFunction },
            ],
        };
        var collection = new InMemoryVectorStoreCollection<int, Point>("points", new InMemoryCollectionOptions { Definition = definition, MaxDegreeOfParallelism = parallelism });
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(points);
        return collection;
    }

    [Theory]
    [InlineData(DistanceFunction.CosineSimilarity, 1)]
    [InlineData(DistanceFunction.CosineSimilarity, 2)]
    [InlineData(DistanceFunction.EuclideanDistance, 1)]
    [InlineData(DistanceFunction.EuclideanDistance, 2)]
    [InlineData(DistanceFunction.DotProductSimilarity, 2)]
    public async Task Top_k_equals_a_full_sort_of_every_score(string distanceFunction, int parallelism)
    {
        var points = RandomPoints(seed: 7);
        var collection = await CollectionAsync(points, distanceFunction, parallelism);
        var query = RandomPoints(seed: 8)[0].Vector!;
        Func<float[], double> score = distanceFunction switch
        {
            DistanceFunction.CosineSimilarity => v => TensorPrimitives.CosineSimilarity(query, v),
            DistanceFunction.EuclideanDistance => v => TensorPrimitives.Distance(query, v),
            _ => v => TensorPrimitives.Dot(query, v),
        };
        var higherIsBetter = distanceFunction != DistanceFunction.EuclideanDistance;
        var scored = points.Select(p => (p.Id, Score: score(p.Vector!))).ToList();
        var bruteForce = (higherIsBetter ? scored.OrderByDescending(p => p.Score) : scored.OrderBy(p => p.Score)).ToList();
        var scoreOf = scored.ToDictionary(p => p.Id, p => p.Score);

        foreach (var k in new[] { 1, 10, 100, 1000 })
        {
            var results = await collection.SearchAsync(query, k).ToListAsync();

            Assert.Equal(k, results.Select(r => r.Record.Id).Distinct().Count());
            for (var i = 0; i < k; i++)
            {
                // Same score at every rank, and each returned record really has the score reported for it. A tolerance,
                // not rounding to decimal places: float sums in another order differ in the last bit, which can flip
                // a rounded digit.
                Assert.Equal(bruteForce[i].Score, results[i].Score!.Value, 1e-4);
                Assert.Equal(scoreOf[results[i].Record.Id], results[i].Score!.Value, 1e-4);
            }
            // Near the top, neighbouring scores are far apart compared with float rounding, so ids must match exactly;
            // deeper down two scores may differ by less than the rounding of the two ways of computing them.
            if (k <= 100) Assert.Equal(bruteForce.Take(k).Select(p => p.Id), results.Select(r => r.Record.Id));
        }
    }

    [Fact]
    public async Task Filtered_and_skipped_top_k_equals_a_full_sort_of_the_filtered_scores()
    {
        var points = RandomPoints(seed: 11);
        var collection = await CollectionAsync(points, DistanceFunction.CosineSimilarity, parallelism: 2);
        var query = RandomPoints(seed: 12)[0].Vector!;
        var expected = points.Where(p => p.Bucket == 3)
            .OrderByDescending(p => TensorPrimitives.CosineSimilarity(query, p.Vector!))
            .Select(p => p.Id).Skip(20).Take(50).ToList();

        var ids = await collection.SearchAsync(query, 50, new VectorSearchOptions<Point> { Filter = p => p.Bucket == 3, Skip = 20 })
            .Select(r => r.Record.Id).ToListAsync();

        Assert.Equal(expected, ids);
    }

    [Fact]
    public async Task Concurrent_upserts_and_searches_see_whole_records_and_end_like_a_sequential_run()
    {
        // Two writers rewrite records with a version in the text and a vector made from the same version; two
        // readers check that every record they see has a text and a vector of one version (no torn writes).
        var collection = new InMemoryVectorStoreCollection<string, Note>("notes");
        await collection.EnsureCollectionExistsAsync();
        static Note Version(int id, int version) => new()
        {
            Id = $"n{id}",
            Text = $"{id}:{version}",
            Vector = [id + 1, version + 1, (id * version) % 5 + 1],
        };
        await collection.UpsertAsync(Enumerable.Range(0, 200).Select(i => Version(i, 0)));

        const int Versions = 30;
        var writers = Enumerable.Range(0, 2).Select(w => Task.Run(async () =>
        {
            for (var version = 1; version <= Versions; version++)
                await collection.UpsertAsync(Enumerable.Range(0, 200).Where(i => i % 2 == w).Select(i => Version(i, version)));
        }));
        var torn = 0;
        var readers = Enumerable.Range(0, 2).Select(r => Task.Run(async () =>
        {
            for (var round = 0; round < 60; round++)
            {
                await foreach (var hit in collection.SearchAsync(new float[] { 1, 2, 3 }, 20, new VectorSearchOptions<Note> { IncludeVectors = true }))
                {
                    var parts = hit.Record.Text.Split(':').Select(int.Parse).ToArray();
                    if (!hit.Record.Vector!.SequenceEqual(Version(parts[0], parts[1]).Vector!)) Interlocked.Increment(ref torn);
                }
            }
        }));
        await Task.WhenAll(writers.Concat(readers));

        var sequential = new InMemoryVectorStoreCollection<string, Note>("notes");
        await sequential.EnsureCollectionExistsAsync();
        await sequential.UpsertAsync(Enumerable.Range(0, 200).Select(i => Version(i, Versions)));
        var concurrentResult = await collection.SearchAsync(new float[] { 1, 2, 3 }, 50).Select(r => (r.Record.Id, r.Record.Text, r.Score)).ToListAsync();
        var sequentialResult = await sequential.SearchAsync(new float[] { 1, 2, 3 }, 50).Select(r => (r.Record.Id, r.Record.Text, r.Score)).ToListAsync();

        Assert.Equal(0, torn);
        Assert.Equal(sequentialResult, concurrentResult);
    }
}
