using Microsoft.Extensions.AI;

namespace SkRerank.Embeddings;

/// <summary>
/// Decorates an embedding generator so that every call embeds its inputs as search queries. Give this to a vector
/// store collection: the collection embeds string search values through its generator without options, and an
/// asymmetric model must see them as queries (with its instruction prefix), not as documents.
/// </summary>
public sealed class QueryEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> innerGenerator)
    : DelegatingEmbeddingGenerator<string, Embedding<float>>(innerGenerator)
{
    /// <inheritdoc />
    public override Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default) =>
        base.GenerateAsync(values, options.WithInputType(EmbeddingInputType.Query), cancellationToken);
}
