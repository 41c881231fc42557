using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel.Data;
using SkRerank.Embeddings;
using SkRerank.Onnx.Embeddings;
using SkRerank.Onnx.Reranking;
using SkRerank.Reranking;
using SkRerank.VectorStore;

namespace SkRerank.Tests.TextSearch;

/// <summary>
/// The FAQ indexed in our in-memory store with a real embedding model (arctic-embed-xs on the questions), SK's
/// <see cref="VectorStoreTextSearch{TRecord}"/> over it, and the local offline reranker (arctic-embed-xs and MiniLM on
/// question + answer, and BM25), warmed up on the FAQ. Loaded once for every test in the "faq" collection.
/// </summary>
public sealed class FaqFixture : IAsyncLifetime
{
    public OnnxEmbeddingGenerator Arctic { get; } = new(OnnxEmbeddingModel.ArcticEmbedXs);
    public OnnxEmbeddingGenerator MiniLm { get; } = new(OnnxEmbeddingModel.MiniLmL6V2);

    /// <summary>Counts the query embeddings the collection makes for string searches.</summary>
    public CountingEmbeddingGenerator QueryEmbedder { get; private set; } = null!;
    public InMemoryVectorStoreCollection<string, FaqEntry> Collection { get; private set; } = null!;
    public VectorStoreTextSearch<FaqEntry> TextSearch { get; private set; } = null!;
    public SignalFusionReranker Reranker { get; private set; } = null!;
    public IReadOnlyList<FaqEntry> Entries { get; } = FaqCorpus.Create();

    public async Task InitializeAsync()
    {
        QueryEmbedder = new CountingEmbeddingGenerator(new QueryEmbeddingGenerator(Arctic));
        Collection = new InMemoryVectorStoreCollection<string, FaqEntry>("faq", new InMemoryCollectionOptions { EmbeddingGenerator = QueryEmbedder });
        await Collection.EnsureCollectionExistsAsync();
        var vectors = await Arctic.GenerateAsync(Entries.Select(e => e.Question));
        for (var i = 0; i < Entries.Count; i++) Entries[i].Embedding = vectors[i].Vector;
        await Collection.UpsertAsync(Entries);
        TextSearch = new VectorStoreTextSearch<FaqEntry>(Collection);
        Reranker = LocalFusionReranker.Create(Arctic, MiniLm);
        await Reranker.WarmUpAsync(Entries.Select(e => e.RerankText).ToList());
        QueryEmbedder.Reset();
    }

    public Task DisposeAsync()
    {
        Collection.Dispose();
        Arctic.Dispose();
        MiniLm.Dispose();
        return Task.CompletedTask;
    }
}

[CollectionDefinition("faq")]
public sealed class FaqCollection : ICollectionFixture<FaqFixture>;

/// <summary>Counts embedding calls and texts, to show a search embeds the query once.</summary>
public sealed class CountingEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner)
    : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
{
    private int _texts;

    public int Texts => Volatile.Read(ref _texts);

    public void Reset() => Interlocked.Exchange(ref _texts, 0);

    public override Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = values.ToList();
        Interlocked.Add(ref _texts, list.Count);
        return base.GenerateAsync(list, options, cancellationToken);
    }
}
