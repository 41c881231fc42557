using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using SkRerank.Reranking;

namespace SkRerank.Onnx.Reranking;

/// <summary>
/// The offline default reranker recipe: a <see cref="SignalFusionReranker"/> that reads each candidate more closely than
/// the first stage — two embedding models' cosines over every movie field, BM25 with corpus statistics, and late
/// interaction (MaxSim over all-MiniLM-L6-v2's token vectors), each standardised over the candidates, with one round of
/// pseudo-relevance feedback for the cosines. Weights were chosen on the dev queries (see README, "Relevance").
/// </summary>
public static class LocalFusionReranker
{
    /// <summary>Weight of each embedding model's cosine.</summary>
    public const double EmbeddingWeight = 1.0;

    /// <summary>Weight of the BM25 score.</summary>
    public const double LexicalWeight = 0.5;

    /// <summary>Weight of the late-interaction (MaxSim) score.</summary>
    public const double LateInteractionWeight = 2.0;

    /// <summary>How many of the best-fused documents feed pseudo-relevance feedback (Rocchio) to the cosine signals.</summary>
    public const int FeedbackDocuments = 3;

    /// <summary>
    /// How many first-stage candidates the offline default reranks: 150, six times the cookbook's 25. Its cost is the
    /// query's embeddings plus a few milliseconds (candidate vectors are precomputed), and the larger pool lets it
    /// recover films the first stage ranked low: dev Recall@25 0.740 at 100, 0.754 at 150 (README, "Relevance").
    /// </summary>
    public const int DefaultCandidates = 150;

    /// <summary>Creates the cosine + BM25 reranker (no late interaction, no feedback).</summary>
    /// <param name="embeddingModels">
    /// Embedding models whose cosine between query and the reranked text is a signal. Put them behind a cache:
    /// documents are embedded once, at warm-up.
    /// </param>
    public static SignalFusionReranker Create(params IEmbeddingGenerator<string, Embedding<float>>[] embeddingModels) =>
        Create(new LocalFusionRerankerOptions { FeedbackDocuments = 0 }, embeddingModels);

    /// <summary>Creates the reranker with the late-interaction signal and feedback that <paramref name="options"/> configure.</summary>
    /// <param name="options">Late-interaction model, cache folder and feedback.</param>
    /// <param name="embeddingModels">
    /// Embedding models whose cosine between query and the reranked text is a signal: the offline default uses
    /// snowflake-arctic-embed-xs and all-MiniLM-L6-v2, behind a cache (documents are embedded once, at warm-up).
    /// </param>
    public static SignalFusionReranker Create(LocalFusionRerankerOptions options, params IEmbeddingGenerator<string, Embedding<float>>[] embeddingModels)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(embeddingModels);
        var signals = new List<(IRelevanceSignal, double)>();
        // First, so that its warm-up pass over the documents also yields the pooled vectors the same model's cosine
        // signal then takes (signals warm up in order): one model pass instead of two on a first run.
        if (options.LateInteractionModel is { } tokens)
        {
            var signal = new LateInteractionSignal(tokens, new LateInteractionSignalOptions { CacheDirectory = options.CacheDirectory },
                options.LoggerFactory?.CreateLogger<LateInteractionSignal>());
            signals.Add((signal, LateInteractionWeight));
        }
        signals.AddRange(embeddingModels.Select(model => ((IRelevanceSignal)new EmbeddingSimilaritySignal(model), EmbeddingWeight)));
        signals.Add((new LexicalSignal(), LexicalWeight));
        return new SignalFusionReranker(signals, "local-fusion", new SignalFusionRerankerOptions { FeedbackDocuments = options.FeedbackDocuments });
    }
}
