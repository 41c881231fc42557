using Microsoft.Extensions.DependencyInjection;

namespace SkRerank.Together;

/// <summary>Together's generator and reranker made by <see cref="TogetherClientFactory.Create"/>, sharing one HTTP client setup.</summary>
public sealed class TogetherClients : IDisposable, IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    internal TogetherClients(ServiceProvider provider)
    {
        _provider = provider;
        EmbeddingGenerator = provider.GetRequiredService<TogetherEmbeddingGenerator>();
        Reranker = provider.GetRequiredService<TogetherReranker>();
    }

    /// <summary>Embeds texts with <see cref="TogetherOptions.EmbeddingModel"/>.</summary>
    public TogetherEmbeddingGenerator EmbeddingGenerator { get; }

    /// <summary>Reranks with <see cref="TogetherOptions.RerankModel"/>.</summary>
    public TogetherReranker Reranker { get; }

    /// <inheritdoc />
    public void Dispose() => _provider.Dispose();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _provider.DisposeAsync();
}
