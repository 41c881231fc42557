using System.Linq.Expressions;
using Microsoft.Extensions.AI;

namespace SkRerank.Search;

/// <summary>
/// One more dense ranking for the first stage of a <see cref="TwoStageSearch{TKey, TRecord}"/>: the query embedded by
/// <see cref="EmbeddingGenerator"/> and searched against the record's <see cref="VectorProperty"/> (the same records
/// embedded by that model). Two models miss different records, so fusing their rankings finds more of the relevant ones
/// (README, "Relevance").
/// </summary>
/// <typeparam name="TRecord">The collection's record type.</typeparam>
public sealed class FirstStageVector<TRecord>
    where TRecord : class
{
    /// <summary>Creates the ranking.</summary>
    /// <param name="embeddingGenerator">Embeds queries (called with the query input type); the model the property's vectors come from.</param>
    /// <param name="vectorProperty">The vector property to search, e.g. <c>r => r.SecondaryEmbedding</c>.</param>
    /// <param name="weight">The ranking's weight in the fusion, against the search's own ranking's 1.</param>
    public FirstStageVector(
        IEmbeddingGenerator<string, Embedding<float>> embeddingGenerator, Expression<Func<TRecord, object?>> vectorProperty, double weight = 1)
    {
        EmbeddingGenerator = embeddingGenerator ?? throw new ArgumentNullException(nameof(embeddingGenerator));
        VectorProperty = vectorProperty ?? throw new ArgumentNullException(nameof(vectorProperty));
        if (!double.IsFinite(weight) || weight <= 0)
            throw new ArgumentOutOfRangeException(nameof(weight), weight, "The weight of a first-stage ranking must be a positive number.");
        Weight = weight;
    }

    /// <summary>Embeds the queries for this ranking.</summary>
    public IEmbeddingGenerator<string, Embedding<float>> EmbeddingGenerator { get; }

    /// <summary>The searched vector property.</summary>
    public Expression<Func<TRecord, object?>> VectorProperty { get; }

    /// <summary>The ranking's weight in the fusion (the search's own ranking weighs 1).</summary>
    public double Weight { get; }
}
