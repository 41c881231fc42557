using Microsoft.Extensions.AI;
using SkRerank.Reranking;

namespace SkRerank.Onnx.Reranking;

/// <summary>
/// The offline default reranker recipe: a <see cref="SignalFusionReranker"/> over evidence the first stage did not
/// use — two embedding models reading every movie field (the first stage embeds title, overview and tagline only)
/// and BM25 with corpus statistics. Weights were chosen on the dev queries (see README, "Relevance").
/// </summary>
public static class LocalFusionReranker
{
    /// <summary>Weight of each embedding model's cosine.</summary>
    public const double EmbeddingWeight = 1.0;

    /// <summary>Weight of the BM25 score.</summary>
    public const double LexicalWeight = 0.5;

    /// <summary>Creates the reranker.</summary>
    /// <param name="embeddingModels">
    /// Embedding models whose cosine between query and the reranked text (all movie fields, unlike the first stage's
    /// title + overview + tagline) is a signal: the offline default uses snowflake-arctic-embed-xs and
    /// all-MiniLM-L6-v2. Put them behind a cache: documents are embedded once, at warm-up.
    /// </param>
    public static SignalFusionReranker Create(params IEmbeddingGenerator<string, Embedding<float>>[] embeddingModels)
    {
        ArgumentNullException.ThrowIfNull(embeddingModels);
        var signals = embeddingModels
            .Select(model => ((IRelevanceSignal)new EmbeddingSimilaritySignal(model), EmbeddingWeight))
            .Append((new LexicalSignal(), LexicalWeight))
            .ToList();
        return new SignalFusionReranker(signals, "local-fusion");
    }
}
