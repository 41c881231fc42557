using SkRerank.Onnx.Embeddings;

namespace SkRerank.Onnx.DependencyInjection;

/// <summary>Choices of the offline movie search registered by <c>AddLocalMovieSearch</c>; read once, at registration.</summary>
public sealed class LocalMovieSearchOptions
{
    /// <summary>
    /// The first-stage embedding model; snowflake-arctic-embed-xs in int8 by default (<see cref="OnnxEmbeddingModel.ArcticEmbedXsInt8"/>,
    /// quantized into <see cref="CacheDirectory"/>), the CLI's default too, so caches are shared. Use
    /// <see cref="OnnxEmbeddingModel.ArcticEmbedXs"/> for the float model.
    /// </summary>
    public OnnxEmbeddingModel EmbeddingModel { get; set; } = OnnxEmbeddingModel.ArcticEmbedXsInt8;

    /// <summary>
    /// A second first-stage model, whose ranking is fused with <see cref="EmbeddingModel"/>'s: all-MiniLM-L6-v2 by
    /// default (<see cref="OnnxEmbeddingModel.MiniLmL6V2"/>, the model the reranker reads anyway, so its query embedding
    /// is computed once for both stages). Two models miss different movies, which lifts first-stage recall (README,
    /// "Relevance"). <see langword="null"/>, or the same model as <see cref="EmbeddingModel"/>, searches one model.
    /// </summary>
    public OnnxEmbeddingModel? SecondaryEmbeddingModel { get; set; } = OnnxEmbeddingModel.MiniLmL6V2;

    /// <summary>
    /// Folder of the embedding cache (vectors are stored under its <c>embeddings</c> subfolder, as the CLI does);
    /// <see langword="null"/> uses <c>SKRERANK_CACHE_DIR</c>, else the user cache folder.
    /// </summary>
    public string? CacheDirectory { get; set; }

    /// <summary>Whether to keep document vectors on disk, so a restart indexes the 1000 movies in about a second.</summary>
    public bool CacheEmbeddings { get; set; } = true;

    /// <summary>
    /// Whether to rerank with the offline fusion reranker (all-MiniLM-L6-v2 cosine + BM25,
    /// <see cref="Reranking.LocalFusionReranker"/>); without it searches return the first-stage order.
    /// </summary>
    public bool Rerank { get; set; } = true;
}
