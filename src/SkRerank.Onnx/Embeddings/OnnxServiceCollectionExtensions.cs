using Microsoft.Extensions.AI;
using SkRerank.Onnx.Embeddings;

// In this namespace so that the registration shows up wherever services are configured, like Microsoft's own Add* methods.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers SkRerank's ONNX services.</summary>
public static class OnnxServiceCollectionExtensions
{
    /// <summary>
    /// Registers an <see cref="OnnxEmbeddingGenerator"/> for <paramref name="model"/> as the singleton
    /// <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> of strings. The model is loaded on first use, not here.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="model">The model, e.g. <see cref="OnnxEmbeddingModel.ArcticEmbedXs"/>.</param>
    /// <param name="configure">Adjusts the generator's options.</param>
    /// <returns>A builder to add middleware (logging, caching, OpenTelemetry) around the generator.</returns>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> AddOnnxEmbeddingGenerator(
        this IServiceCollection services,
        OnnxEmbeddingModel model,
        Action<OnnxEmbeddingGeneratorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(model);
        var options = new OnnxEmbeddingGeneratorOptions();
        configure?.Invoke(options);
        return services.AddEmbeddingGenerator(_ => new OnnxEmbeddingGenerator(model, options));
    }
}
