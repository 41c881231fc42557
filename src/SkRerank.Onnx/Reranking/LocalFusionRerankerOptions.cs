using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using SkRerank.Embeddings;

namespace SkRerank.Onnx.Reranking;

/// <summary>The parts of the offline reranker recipe beyond embedding cosines and BM25 (see <see cref="LocalFusionReranker"/>).</summary>
public sealed class LocalFusionRerankerOptions
{
    /// <summary>
    /// The model whose token vectors give the late-interaction (MaxSim) signal, e.g.
    /// <c>OnnxEmbeddingGenerator.AsTokenEmbeddingGenerator()</c> of all-MiniLM-L6-v2; <see langword="null"/> leaves the signal out.
    /// </summary>
    public IEmbeddingGenerator<string, TokenEmbedding>? LateInteractionModel { get; set; }

    /// <summary>Cache root for the documents' token vectors (under <c>tokens</c>); <see langword="null"/> keeps them in memory only.</summary>
    public string? CacheDirectory { get; set; }

    /// <summary>How many of the best-fused documents feed pseudo-relevance feedback to the cosine signals; 0 turns it off.</summary>
    public int FeedbackDocuments { get; set; } = LocalFusionReranker.FeedbackDocuments;

    /// <summary>Logs cache warnings of the late-interaction signal.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }
}
