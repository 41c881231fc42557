using BenchmarkDotNet.Attributes;
using Microsoft.SemanticKernel.Data;
using SkRerank.Embeddings;
using SkRerank.Onnx.Embeddings;
using SkRerank.Onnx.Reranking;
using SkRerank.Reranking;
using SkRerank.Tests.TextSearch;
using SkRerank.TextSearch;
using SkRerank.VectorStore;

namespace SkRerank.Benchmarks;

/// <summary>
/// What <c>WithReranking</c> adds to SK's <see cref="VectorStoreTextSearch{TRecord}"/> on the 20-entry product FAQ:
/// compare <see cref="Reranked_top5"/> with <see cref="Inner_pool25"/> + <see cref="Reranker_alone"/> (the decorator's own
/// overhead is the difference).
/// </summary>
[MemoryDiagnoser]
public class TextSearchRerankingBenchmarks
{
    private const string Query = "how do I get my money back";
    private OnnxEmbeddingGenerator _arctic = null!;
    private OnnxEmbeddingGenerator _miniLm = null!;
    private InMemoryVectorStoreCollection<string, FaqEntry> _collection = null!;
    private VectorStoreTextSearch<FaqEntry> _inner = null!;
    private RerankingTextSearch _reranked = null!;
    private SignalFusionReranker _reranker = null!;
    private List<string> _poolTexts = null!;

    [GlobalSetup]
    public async Task SetUpAsync()
    {
        var single = new OnnxEmbeddingGeneratorOptions { MaxConcurrentBatches = 1, IntraOpNumThreads = 1 };
        _arctic = new OnnxEmbeddingGenerator(OnnxEmbeddingModel.ArcticEmbedXs, single);
        _miniLm = new OnnxEmbeddingGenerator(OnnxEmbeddingModel.MiniLmL6V2, single);
        var entries = FaqCorpus.Create();
        var vectors = await _arctic.GenerateAsync(entries.Select(e => e.Question));
        for (var i = 0; i < entries.Count; i++) entries[i].Embedding = vectors[i].Vector;
        _collection = new InMemoryVectorStoreCollection<string, FaqEntry>("faq", new InMemoryCollectionOptions { EmbeddingGenerator = new QueryEmbeddingGenerator(_arctic) });
        await _collection.EnsureCollectionExistsAsync();
        await _collection.UpsertAsync(entries);
        _inner = new VectorStoreTextSearch<FaqEntry>(_collection);
        // Document vectors in memory, as the disk cache gives a warmed-up reranker; the query is embedded by each model per search.
        _reranker = LocalFusionReranker.Create(new PrecomputedDocuments(_arctic), new PrecomputedDocuments(_miniLm));
        await _reranker.WarmUpAsync(entries.Select(e => e.Answer).ToList());
        _reranked = _inner.WithReranking(_reranker);
        _poolTexts = [];
        await foreach (var r in (await _inner.GetTextSearchResultsAsync(Query, new TextSearchOptions { Top = 25 })).Results) _poolTexts.Add(r.Value);
    }

    [GlobalCleanup]
    public void CleanUp()
    {
        _collection.Dispose();
        _arctic.Dispose();
        _miniLm.Dispose();
    }

    [Benchmark(Description = "VectorStoreTextSearch, top 5")]
    public Task<int> Inner_top5() => CountAsync(_inner, 5);

    [Benchmark(Description = "VectorStoreTextSearch, top 25 (the pool)")]
    public Task<int> Inner_pool25() => CountAsync(_inner, 25);

    [Benchmark(Description = "local reranker alone, 20 candidates")]
    public async Task<int> Reranker_alone() => (await _reranker.RerankAsync(Query, _poolTexts, new RerankOptions { TopN = 5 })).Count;

    [Benchmark(Description = "WithReranking, top 5 of a 25 pool")]
    public Task<int> Reranked_top5() => CountAsync(_reranked, 5);

    private static async Task<int> CountAsync(ITextSearch search, int top)
    {
        var count = 0;
        await foreach (var _ in (await search.GetTextSearchResultsAsync(Query, new TextSearchOptions { Top = top })).Results) count++;
        return count;
    }
}
