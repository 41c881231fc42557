using System.Linq.Expressions;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.VectorData;
using SkRerank.VectorStore;

namespace SkRerank.Benchmarks;

/// <summary>
/// Exact top-10 search of the in-memory collection over synthetic 384-d vectors: unfiltered, with a 1-in-10 filter the
/// payload index answers (an equality on an <c>IsIndexed</c> property), and with a filter of the same selectivity it
/// cannot answer (arithmetic on the key), which runs the compiled predicate on every record.
/// </summary>
[MemoryDiagnoser]
public class VectorScanBenchmarks
{
    private InMemoryVectorStoreCollection<int, Row> _collection = null!;
    private ReadOnlyMemory<float> _query;
    private readonly Expression<Func<Row, bool>> _oneInTen = r => r.Bucket == 3;
    private readonly Expression<Func<Row, bool>> _oneInTenUnindexed = r => r.Id % 10 == 3;

    [Params(10_000, 100_000)]
    public int Vectors { get; set; }

    [GlobalSetup]
    public async Task SetUpAsync()
    {
        var random = new Random(42);
        _collection = new InMemoryVectorStoreCollection<int, Row>("rows");
        await _collection.EnsureCollectionExistsAsync();
        await _collection.UpsertAsync(Enumerable.Range(0, Vectors).Select(i => new Row { Id = i, Bucket = i % 10, Vector = RandomVector(random) }));
        _query = RandomVector(random);
    }

    [GlobalCleanup]
    public void CleanUp() => _collection.Dispose();

    [Benchmark(Baseline = true)]
    public async Task<int> Search() => await Count(_collection.SearchAsync(_query, 10));

    [Benchmark]
    public async Task<int> SearchFiltered() => await Count(_collection.SearchAsync(_query, 10, new VectorSearchOptions<Row> { Filter = _oneInTen }));

    [Benchmark]
    public async Task<int> SearchFilteredByPredicate() => await Count(_collection.SearchAsync(_query, 10, new VectorSearchOptions<Row> { Filter = _oneInTenUnindexed }));

    private static async Task<int> Count(IAsyncEnumerable<VectorSearchResult<Row>> results)
    {
        var count = 0;
        await foreach (var _ in results) count++;
        return count;
    }

    private static ReadOnlyMemory<float> RandomVector(Random random)
    {
        var vector = new float[384];
        for (var i = 0; i < vector.Length; i++) vector[i] = random.NextSingle() - 0.5f;
        return vector;
    }

    /// <summary>A synthetic record.</summary>
    public sealed class Row
    {
        [VectorStoreKey]
        public int Id { get; set; }

        [VectorStoreData(IsIndexed = true)]
        public int Bucket { get; set; }

        [VectorStoreVector(384)]
        public ReadOnlyMemory<float> Vector { get; set; }
    }
}
