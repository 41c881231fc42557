using System.Diagnostics;
using System.Linq.Expressions;
using System.Numerics.Tensors;
using Microsoft.Extensions.VectorData;
using SkRerank.VectorStore;

namespace SkRerank.Cli.Benchmarking;

/// <summary>
/// Exact search in the in-memory collection at growing sizes of synthetic 384-d vectors, against the memory-bandwidth
/// bound measured in the same run: a scan must read every candidate vector once, so it can be no faster than
/// (bytes of vectors read) / (read bandwidth of all cores). The filtered search keeps one record in ten (an equality
/// on an <c>IsIndexed</c> property, as a genre filter is); the payload index hands the scan the matching rows, so it
/// reads a tenth of the vectors, scattered one row in ten.
/// </summary>
internal static class ScaleBenchmark
{
    public const int Dimensions = 384;
    private const int Buckets = 10;
    private const int Top = 10;

    // Warm-up before the measured queries: at least this many queries and this long. At 10k vectors three queries take
    // a few milliseconds, far less than the runtime's tiering delay (calls are counted for promotion only after 100 ms
    // without new JIT work), so code that is not marked AggressiveOptimization would be measured unoptimized.
    private const int WarmUpQueries = 3;
    private static readonly TimeSpan s_warmUpTime = TimeSpan.FromSeconds(1);

    public sealed record Point(int Vectors, bool Filtered, double P50Ms, double BoundMs, double BytesPerVector, double BandwidthGBps);

    public static async Task<IReadOnlyList<Point>> RunAsync(IReadOnlyList<int> sizes, int queries, TextWriter log, CancellationToken cancellationToken)
    {
        var points = new List<Point>();
        var random = new Random(42);
        var queryVectors = Enumerable.Range(0, queries).Select(_ => RandomVector(random)).ToArray();
        Expression<Func<SyntheticRecord, bool>> filter = r => r.Bucket == 3; // one instance: compiled once
        using var bandwidth = new BandwidthProbe();

        foreach (var size in sizes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            log.Write($"  scale: building {size:N0} vectors");
            var before = HeapBytes();
            var collection = new InMemoryVectorStoreCollection<int, SyntheticRecord>("synthetic");
            await collection.EnsureCollectionExistsAsync(cancellationToken);
            const int batch = 10_000;
            for (var start = 0; start < size; start += batch)
            {
                var records = Enumerable.Range(start, Math.Min(batch, size - start))
                    .Select(i => new SyntheticRecord { Id = i, Bucket = i % Buckets, Vector = RandomVector(random) })
                    .ToList();
                await collection.UpsertAsync(records, cancellationToken);
            }
            var bytesPerVector = (double)(HeapBytes() - before) / size;
            log.WriteLine($", {bytesPerVector:0} bytes per record");

            foreach (var filtered in new[] { false, true })
            {
                var options = new VectorSearchOptions<SyntheticRecord> { Filter = filtered ? filter : null };
                var warmUp = Stopwatch.StartNew();
                for (var w = 0; w < WarmUpQueries || warmUp.Elapsed < s_warmUpTime; w++)
                {
                    await foreach (var _ in collection.SearchAsync(queryVectors[w % queryVectors.Length], Top, options, cancellationToken)) { }
                }

                var latencies = new Samples();
                var bandwidths = new Samples();
                for (var q = 0; q < queryVectors.Length; q++)
                {
                    // Bandwidth is probed between searches, so both see the same machine load.
                    if (q % 5 == 0) bandwidths.Add(bandwidth.MeasureGBps());
                    var clock = Stopwatch.StartNew();
                    await foreach (var _ in collection.SearchAsync(queryVectors[q], Top, options, cancellationToken)) { }
                    latencies.Add(clock.Elapsed.TotalMilliseconds);
                }
                var vectorsRead = filtered ? size / Buckets : size;
                var boundMs = vectorsRead * (double)Dimensions * sizeof(float) / (bandwidths.Median * 1e9) * 1e3;
                points.Add(new Point(size, filtered, latencies.Median, boundMs, bytesPerVector, bandwidths.Median));
            }
            await collection.EnsureCollectionDeletedAsync(cancellationToken);
            collection.Dispose();
        }
        return points;
    }

    private static ReadOnlyMemory<float> RandomVector(Random random)
    {
        var vector = new float[Dimensions];
        for (var i = 0; i < vector.Length; i++) vector[i] = random.NextSingle() - 0.5f;
        return vector;
    }

    private static long HeapBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>A record of the synthetic collection.</summary>
    public sealed class SyntheticRecord
    {
        [VectorStoreKey]
        public int Id { get; set; }

        [VectorStoreData(IsIndexed = true)]
        public int Bucket { get; set; }

        [VectorStoreVector(Dimensions, DistanceFunction = DistanceFunction.CosineSimilarity)]
        public ReadOnlyMemory<float> Vector { get; set; }
    }

    /// <summary>
    /// Read bandwidth of all cores: a sum over a buffer far larger than the last-level cache, split in one contiguous
    /// range per core as the collection's parallel scan splits its rows.
    /// </summary>
    private sealed class BandwidthProbe : IDisposable
    {
        private float[]? _buffer = GC.AllocateUninitializedArray<float>(64 << 20); // 256 MiB

        public BandwidthProbe() => _buffer.AsSpan().Fill(1f);

        public double MeasureGBps()
        {
            var buffer = _buffer!;
            var workers = Environment.ProcessorCount;
            var per = buffer.Length / workers;
            var sums = new float[workers];
            var clock = Stopwatch.StartNew();
            Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers },
                w => sums[w] = TensorPrimitives.Sum<float>(buffer.AsSpan(w * per, per)));
            var seconds = clock.Elapsed.TotalSeconds;
            GC.KeepAlive(sums);
            return (double)per * workers * sizeof(float) / seconds / 1e9;
        }

        public void Dispose() => _buffer = null;
    }
}
