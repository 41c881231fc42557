using Microsoft.Extensions.VectorData;
using SkRerank.Lexical;

namespace SkRerank.VectorStore;

/// <summary>
/// Options of an <see cref="InMemoryVectorStoreCollection{TKey, TRecord}"/>: the record
/// <see cref="VectorStoreCollectionOptions.Definition"/> (it wins over attributes) and the default
/// <see cref="VectorStoreCollectionOptions.EmbeddingGenerator"/>, plus search tuning.
/// </summary>
public sealed class InMemoryCollectionOptions : VectorStoreCollectionOptions
{
    /// <summary>Creates default options.</summary>
    public InMemoryCollectionOptions()
    {
    }

    /// <summary>Copies <paramref name="source"/>.</summary>
    public InMemoryCollectionOptions(InMemoryCollectionOptions source)
        : base(source)
    {
        MaxDegreeOfParallelism = source.MaxDegreeOfParallelism;
        ReciprocalRankFusionK = source.ReciprocalRankFusionK;
        HybridFusion = source.HybridFusion;
        KeywordWeight = source.KeywordWeight;
    }

    /// <summary>How many cores one vector scan may use; all of them when <see langword="null"/>, 1 for a serial scan.</summary>
    public int? MaxDegreeOfParallelism { get; init; }

    /// <summary>The k of the Reciprocal Rank Fusion that hybrid search uses; 60 by default.</summary>
    public int ReciprocalRankFusionK { get; init; } = ReciprocalRankFusion.DefaultK;

    /// <summary>How hybrid search fuses the dense and keyword rankings; Reciprocal Rank Fusion by default, like most connectors.</summary>
    public HybridFusionMethod HybridFusion { get; init; } = HybridFusionMethod.ReciprocalRank;

    /// <summary>Weight of the keyword (BM25) z-score against the dense z-score when <see cref="HybridFusion"/> is <see cref="HybridFusionMethod.WeightedZScore"/>.</summary>
    public double KeywordWeight { get; init; } = 0.3;
}
