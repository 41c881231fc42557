using System.Collections.Concurrent;
using SkRerank.Tests.VectorStore;
using SkRerank.VectorStore;

namespace SkRerank.Tests.Performance;

/// <summary>
/// Writers move records between buckets, delete and re-add them (so rows are reused) while readers run filtered
/// searches and gets that the payload index answers. Every record a reader sees must really match its filter and be
/// whole (its vector encodes the bucket it was written with), and when the writers stop, every filter must return
/// exactly the records a sequential replay of the writes leaves.
/// </summary>
public sealed class PayloadIndexStressTests
{
    private const int Keys = 600;
    private const int Buckets = 5;

    [Fact]
    public async Task Concurrent_writers_and_filtered_readers_never_see_a_corrupt_index()
    {
        var (collection, _) = await IndexedFilterTests.CreateAsync(Enumerable.Range(0, Keys).Select(id => Version(id, id % Buckets)));
        var finalBuckets = new ConcurrentDictionary<int, int?>();
        var stop = new CancellationTokenSource();

        // Two writers, each owning half of the keys, so the final state is known without ordering between them.
        var writers = Enumerable.Range(0, 2).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            var mine = Enumerable.Range(0, Keys).Where(id => id % 2 == w).ToArray();
            var state = mine.ToDictionary(id => id, id => (int?)(id % Buckets));
            for (var step = 0; step < 300; step++)
            {
                var batch = mine.OrderBy(_ => random.Next()).Take(random.Next(1, 40)).ToList();
                if (random.Next(4) == 0)
                {
                    await collection.DeleteAsync(batch);
                    foreach (var id in batch) state[id] = null;
                }
                else
                {
                    var moved = batch.Select(id => Version(id, random.Next(Buckets))).ToList();
                    await collection.UpsertAsync(moved);
                    foreach (var item in moved) state[item.Id] = item.Bucket;
                }
            }
            foreach (var (id, bucket) in state) finalBuckets[id] = bucket;
        })).ToArray();

        var violations = new ConcurrentBag<string>();
        var readers = Enumerable.Range(0, 2).Select(r => Task.Run(async () =>
        {
            var random = new Random(100 + r);
            while (!stop.IsCancellationRequested)
            {
                var bucket = random.Next(Buckets);
                var hits = await collection.SearchAsync(new float[Item.Dimensions], Keys, new() { Filter = i => i.Bucket == bucket, IncludeVectors = true }).ToListAsync();
                foreach (var hit in hits)
                {
                    if (hit.Record.Bucket != bucket || hit.Record.Vector.Span[0] != bucket)
                        violations.Add($"search for bucket {bucket} returned {hit.Record.Id} with bucket {hit.Record.Bucket} and vector {hit.Record.Vector.Span[0]}");
                }
                var ids = await collection.GetAsync(i => i.Bucket == bucket || i.Tags!.Contains($"b{bucket}"), Keys).Select(i => (i.Id, i.Bucket)).ToListAsync();
                if (ids.Any(i => i.Bucket != bucket)) violations.Add($"get for bucket {bucket} returned another bucket");
                if (ids.Select(i => i.Id).Distinct().Count() != ids.Count) violations.Add($"get for bucket {bucket} returned a record twice");
            }
        })).ToArray();

        await Task.WhenAll(writers);
        stop.Cancel();
        await Task.WhenAll(readers);

        Assert.Empty(violations);
        for (var bucket = 0; bucket < Buckets; bucket++)
        {
            var b = bucket;
            var expected = finalBuckets.Where(p => p.Value == b).Select(p => p.Key).Order().ToList();
            var actual = await collection.GetAsync(i => i.Bucket == b, Keys).Select(i => i.Id).ToListAsync();
            Assert.Equal(expected, actual.Order());
        }
    }

    // A record whose vector and tag repeat its bucket, so a reader can tell a whole record from a torn one.
    private static Item Version(int id, int bucket) => new()
    {
        Id = id,
        Bucket = bucket,
        Tags = [$"b{bucket}"],
        Vector = Enumerable.Range(0, Item.Dimensions).Select(d => d == 0 ? (float)bucket : 1f).ToArray(),
    };
}
