using Microsoft.Extensions.AI;
using SkRerank.Embeddings;

namespace SkRerank.Onnx.Embeddings;

/// <summary>
/// <see cref="OnnxEmbeddingGenerator.AsTokenEmbeddingGenerator"/>: the generator's session, returning token vectors.
/// The input type option picks the query or document prefix, as for pooled vectors.
/// </summary>
internal sealed class OnnxTokenEmbeddingGenerator(OnnxEmbeddingGenerator owner) : IEmbeddingGenerator<string, TokenEmbedding>
{
    private readonly EmbeddingGeneratorMetadata _metadata =
        new("onnx", providerUri: null, owner.Model.ModelId, owner.Dimensions);

    public async Task<GeneratedEmbeddings<TokenEmbedding>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var texts = values as IReadOnlyList<string> ?? values.ToList();
        var embeddings = await owner.GenerateTokenEmbeddingsAsync(texts, options.GetInputType(), cancellationToken).ConfigureAwait(false);
        return new GeneratedEmbeddings<TokenEmbedding>(embeddings);
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null) return null;
        if (serviceType == typeof(EmbeddingGeneratorMetadata)) return _metadata;
        if (serviceType.IsInstanceOfType(this)) return this;
        return owner.GetService(serviceType);
    }

    // The owner holds the session.
    public void Dispose()
    {
    }
}
