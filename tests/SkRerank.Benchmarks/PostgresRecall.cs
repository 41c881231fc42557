using System.Diagnostics;
using Microsoft.Extensions.VectorData;
using SkRerank.Postgres;

namespace SkRerank.Benchmarks;

/// <summary>
/// HNSW recall@10 of <see cref="PostgresCollection{TKey, TRecord}"/> against the exact top 10, on synthetic clustered
/// unit vectors, at several ef_search values, with load and query times (docs/postgres.md).
/// <c>dotnet run -c Release --project tests/SkRerank.Benchmarks -- postgres-recall "Host=…" [count] [dimensions]</c>
/// </summary>
public static class PostgresRecall
{
    public sealed class Point
    {
        [VectorStoreKey]
        public int Id { get; set; }

        [VectorStoreVector(384)]
        public ReadOnlyMemory<float> Vector { get; set; }
    }

    public static async Task RunAsync(string[] args)
    {
        var connectionString = args[0];
        var count = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
        var dimensions = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 384;
        const int Queries = 100, Top = 10;
        var random = new Random(42);
        var centers = Enumerable.Range(0, 500).Select(_ => Unit(Gaussian(random, dimensions, 1))).ToArray();
        float[] Sample() => Unit(centers[random.Next(centers.Length)].Zip(Gaussian(random, dimensions, 0.6f / MathF.Sqrt(dimensions) * 4), (c, n) => c + n).ToArray());
        var points = Enumerable.Range(0, count).Select(_ => Sample()).ToArray();
        var queries = Enumerable.Range(0, Queries).Select(_ => Sample()).ToArray();

        var definition = new VectorStoreCollectionDefinition
        {
            Properties = [new VectorStoreKeyProperty(nameof(Point.Id), typeof(int)), new VectorStoreVectorProperty(nameof(Point.Vector), typeof(ReadOnlyMemory<float>), dimensions)],
        };
        using var dataSource = PostgresCollection<int, Point>.CreateDataSource(connectionString);
        var name = $"recall_{count}_{dimensions}";
        PostgresCollection<int, Point> Collection(int? efSearch) => new(dataSource, name, ownsDataSource: false,
            new PostgresCollectionOptions { Definition = definition, HnswEfSearch = efSearch });

        var loading = Collection(null);
        await loading.EnsureCollectionDeletedAsync();
        await loading.EnsureCollectionExistsAsync();
        // A bulk load is faster without the index, built afterwards (pgvector's advice): drop the one the collection made, recreate it.
        string indexDefinition;
        await using (var command = dataSource.CreateCommand($"SELECT indexname, indexdef FROM pg_indexes WHERE tablename = '{name}' AND indexdef LIKE '%hnsw%'"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            await reader.ReadAsync();
            indexDefinition = reader.GetString(1);
            var indexName = reader.GetString(0);
            await reader.DisposeAsync();
            await using var drop = dataSource.CreateCommand($"DROP INDEX \"{indexName}\"");
            await drop.ExecuteNonQueryAsync();
        }
        var clock = Stopwatch.StartNew();
        for (var start = 0; start < count; start += 5000)
        {
            await loading.UpsertAsync(Enumerable.Range(start, Math.Min(5000, count - start)).Select(i => new Point { Id = i, Vector = points[i] }));
            Console.Error.WriteLine($"loaded {Math.Min(count, start + 5000)} in {clock.Elapsed.TotalSeconds:F0} s");
        }
        Console.WriteLine($"load: {count} x {dimensions}-d in {clock.Elapsed.TotalSeconds:F1} s ({count / clock.Elapsed.TotalSeconds:F0} rows/s)");
        clock.Restart();
        await using (var build = dataSource.CreateCommand($"SET maintenance_work_mem = '256MB'; {indexDefinition}"))
            await build.ExecuteNonQueryAsync();
        Console.WriteLine($"HNSW build (m 16, ef_construction 64): {clock.Elapsed.TotalSeconds:F1} s");

        var exact = queries.Select(q => points.Select((p, i) => (Score: Dot(p, q), Id: i)).OrderByDescending(h => h.Score).Take(Top).Select(h => h.Id).ToHashSet()).ToArray();
        foreach (var ef in new[] { 40, 100, 200, 400 })
        {
            var collection = Collection(ef);
            await collection.SearchAsync(queries[0], Top).ToListAsync(); // warm up
            var found = 0;
            var times = new List<double>();
            for (var q = 0; q < Queries; q++)
            {
                var watch = Stopwatch.StartNew();
                var hits = await collection.SearchAsync(queries[q], Top).Select(h => h.Record.Id).ToListAsync();
                times.Add(watch.Elapsed.TotalMilliseconds);
                found += hits.Count(exact[q].Contains);
            }
            times.Sort();
            Console.WriteLine($"ef_search {ef,3}: recall@10 {found / (double)(Queries * Top):F3}, query p50 {times[Queries / 2]:F1} ms, p95 {times[Queries * 95 / 100]:F1} ms");
        }
    }

    private static float[] Gaussian(Random random, int n, float sigma) =>
        Enumerable.Range(0, n).Select(_ => sigma * MathF.Sqrt(-2 * MathF.Log(1 - random.NextSingle())) * MathF.Cos(2 * MathF.PI * random.NextSingle())).ToArray();

    private static float[] Unit(float[] v)
    {
        var norm = MathF.Sqrt(v.Sum(x => x * x));
        return v.Select(x => x / norm).ToArray();
    }

    private static float Dot(float[] a, float[] b) => System.Numerics.Tensors.TensorPrimitives.Dot(a, b);
}
