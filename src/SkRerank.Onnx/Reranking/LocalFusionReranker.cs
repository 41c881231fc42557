using Microsoft.Extensions.AI;
using SkRerank.Reranking;

namespace SkRerank.Onnx.Reranking;

/// <summary>
/// The offline default reranker recipe: a <see cref="SignalFusionReranker"/> over evidence the dense first stage did
/// not use — a second embedding model (all-MiniLM-L6-v2) and BM25 with corpus statistics. Weights were chosen on the
/// dev queries (see README, "Relevance").
/// </summary>
public static class LocalFusionReranker
{
    /// <summary>Weight of the second embedding model's cosine.</summary>
    public const double SecondModelWeight = 1.0;

    /// <summary>Weight of the BM25 score.</summary>
    public const double LexicalWeight = 0.5;

    /// <summary>Creates the reranker.</summary>
    /// <param name="secondModel">all-MiniLM-L6-v2 (or another model unlike the first stage's), ideally behind a cache.</param>
    /// <param name="firstModel">Optionally the first stage's model, as a third signal.</param>
    /// <param name="firstModelWeight">Weight of <paramref name="firstModel"/>.</param>
    public static SignalFusionReranker Create(
        IEmbeddingGenerator<string, Embedding<float>> secondModel,
        IEmbeddingGenerator<string, Embedding<float>>? firstModel = null,
        double firstModelWeight = 0.5)
    {
        var signals = new List<(IRelevanceSignal, double)>
        {
            (new EmbeddingSimilaritySignal(secondModel), SecondModelWeight),
            (new LexicalSignal(), LexicalWeight),
        };
        if (firstModel is not null) signals.Add((new EmbeddingSimilaritySignal(firstModel), firstModelWeight));
        return new SignalFusionReranker(signals, "local-fusion");
    }
}
