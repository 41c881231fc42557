using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using SkRerank.Embeddings;
using SkRerank.Lexical;
using SkRerank.Movies;
using SkRerank.Onnx.Embeddings;
using SkRerank.Reranking;

namespace SkRerank.Benchmarks;

/// <summary>
/// The per-query hot paths of the offline pipeline: embedding one query with each model, BM25 over the candidates, and
/// the whole fusion rerank of 25 candidates once the query vectors are cached (what a search pays after the head start).
/// </summary>
[MemoryDiagnoser]
public class QueryPathBenchmarks
{
    private const string Query = "super hero mystery action movie about bats";
    private OnnxEmbeddingGenerator _arctic = null!;
    private OnnxEmbeddingGenerator _miniLm = null!;
    private LexicalSignal _lexical = null!;
    private SignalFusionReranker _reranker = null!;
    private List<string> _candidates = null!;
    private readonly EmbeddingGenerationOptions _query = new EmbeddingGenerationOptions().WithInputType(EmbeddingInputType.Query);

    [GlobalSetup]
    public async Task SetUpAsync()
    {
        var movies = await MovieDataset.LoadAsync(BenchmarkData.MoviesJson);
        var documents = movies.Select(m => MovieText.Compose(m, MovieTextFields.All)).ToList();
        _candidates = documents.Take(25).ToList();
        // One text per run on the calling thread, as a single query runs in the pipeline.
        var single = new OnnxEmbeddingGeneratorOptions { MaxConcurrentBatches = 1, IntraOpNumThreads = 1 };
        _arctic = new OnnxEmbeddingGenerator(OnnxEmbeddingModel.ArcticEmbedXs, single);
        _miniLm = new OnnxEmbeddingGenerator(OnnxEmbeddingModel.MiniLmL6V2, single);
        _lexical = new LexicalSignal();
        await _lexical.WarmUpAsync(documents);

        // The reranker over query caches and in-memory document vectors of the 25 candidates only (warming up all 1000
        // movies would take a minute per benchmark process and measure nothing more).
        var arcticCache = new QueryEmbeddingCache(new PrecomputedDocuments(_arctic));
        var miniLmCache = new QueryEmbeddingCache(new PrecomputedDocuments(_miniLm));
        _reranker = new SignalFusionReranker(
        [
            (new EmbeddingSimilaritySignal(arcticCache), 1.0),
            (new EmbeddingSimilaritySignal(miniLmCache), 1.0),
            (_lexical, 0.5),
        ]);
        await _reranker.WarmUpAsync(_candidates);
        await _reranker.RerankAsync(Query, _candidates);
    }

    [GlobalCleanup]
    public void CleanUp()
    {
        _arctic.Dispose();
        _miniLm.Dispose();
        _lexical.Dispose();
    }

    [Benchmark]
    public Task<GeneratedEmbeddings<Embedding<float>>> EmbedQueryArctic() => _arctic.GenerateAsync([Query], _query);

    [Benchmark]
    public Task<GeneratedEmbeddings<Embedding<float>>> EmbedQueryMiniLm() => _miniLm.GenerateAsync([Query], _query);

    [Benchmark]
    public Task<double[]> Bm25ScoreCandidates() => _lexical.ScoreAsync(Query, _candidates);

    [Benchmark]
    public Task<IReadOnlyList<RerankResult>> RerankCachedQuery() => _reranker.RerankAsync(Query, _candidates);
}
