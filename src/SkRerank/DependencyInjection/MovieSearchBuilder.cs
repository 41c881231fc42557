using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.VectorData;
using SkRerank.Movies;
using SkRerank.Reranking;
using SkRerank.Search;

namespace SkRerank.DependencyInjection;

/// <summary>
/// Returned by <c>AddMovieSearch</c>: chooses the components of the movie search where the defaults do not fit. Each
/// choice is a keyed registration under <see cref="ServiceKey"/>, so it applies to the movie search only and leaves the
/// application's own (unkeyed) embedding generator, collection or reranker alone.
/// </summary>
/// <remarks>
/// Each component is resolved as: the keyed service under <see cref="ServiceKey"/>, else the unkeyed service, else
/// (collection only) an in-memory collection. The embedding generator is required; the reranker is optional (without
/// one, searches return the first-stage order).
/// </remarks>
public sealed class MovieSearchBuilder
{
    /// <summary>The key of the movie search's own components (embedding generator, collection, reranker).</summary>
    public const string ServiceKey = "SkRerank.MovieSearch";

    /// <summary>The key of the movie search's second first-stage model (<see cref="UseSecondaryEmbeddingGenerator(Func{IServiceProvider, IEmbeddingGenerator{string, Embedding{float}}})"/>).</summary>
    public const string SecondaryServiceKey = "SkRerank.MovieSearch.Secondary";

    internal MovieSearchBuilder(IServiceCollection services) => Services = services;

    /// <summary>The services the movie search is registered in.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Adjusts the search settings (candidates, top N, first stage, …).</summary>
    public MovieSearchBuilder Configure(Action<MovieSearchOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Services.Configure(configure);
        return this;
    }

    /// <summary>
    /// Embeds movies and queries with <paramref name="generator"/>; it must be the model the collection was (or will be)
    /// indexed with. The caller keeps ownership: it is not disposed with the container.
    /// </summary>
    public MovieSearchBuilder UseEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        Services.AddKeyedSingleton(ServiceKey, generator);
        return this;
    }

    /// <summary>Embeds movies and queries with the generator <paramref name="factory"/> creates (owned and disposed by the container).</summary>
    public MovieSearchBuilder UseEmbeddingGenerator(Func<IServiceProvider, IEmbeddingGenerator<string, Embedding<float>>> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.AddKeyedSingleton(ServiceKey, (sp, _) => factory(sp));
        return this;
    }

    /// <summary>
    /// Adds a second model to the first stage: <see cref="Indexing.MovieIndexer"/> also embeds each movie with
    /// <paramref name="generator"/> into <see cref="Movie.SecondaryEmbedding"/>, and each search fuses that model's ranking
    /// with the first model's (<see cref="TwoStageSearchOptions{TRecord}.AdditionalVectors"/>). The collection must store
    /// the property: the in-memory default and <c>UsePostgres</c> add it. The caller keeps ownership.
    /// </summary>
    public MovieSearchBuilder UseSecondaryEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        Services.AddKeyedSingleton(SecondaryServiceKey, generator);
        return this;
    }

    /// <summary>Adds the second first-stage model <paramref name="factory"/> creates (owned and disposed by the container).</summary>
    public MovieSearchBuilder UseSecondaryEmbeddingGenerator(Func<IServiceProvider, IEmbeddingGenerator<string, Embedding<float>>> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.AddKeyedSingleton(SecondaryServiceKey, (sp, _) => factory(sp));
        return this;
    }

    /// <summary>
    /// Searches <paramref name="collection"/> (any Microsoft.Extensions.VectorData connector: Qdrant, Postgres, Azure AI
    /// Search, …) instead of the in-memory default. The caller keeps ownership.
    /// </summary>
    public MovieSearchBuilder UseCollection(VectorStoreCollection<int, Movie> collection)
    {
        ArgumentNullException.ThrowIfNull(collection);
        Services.AddKeyedSingleton(ServiceKey, collection);
        return this;
    }

    /// <summary>Searches the collection <paramref name="factory"/> creates (owned and disposed by the container).</summary>
    public MovieSearchBuilder UseCollection(Func<IServiceProvider, VectorStoreCollection<int, Movie>> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.AddKeyedSingleton(ServiceKey, (sp, _) => factory(sp));
        return this;
    }

    /// <summary>Reranks candidates with <paramref name="reranker"/>. The caller keeps ownership.</summary>
    public MovieSearchBuilder UseReranker(IReranker reranker)
    {
        ArgumentNullException.ThrowIfNull(reranker);
        RemoveNoRerankerChoice();
        Services.AddKeyedSingleton(ServiceKey, reranker);
        return this;
    }

    /// <summary>Reranks candidates with the reranker <paramref name="factory"/> creates (owned and disposed by the container).</summary>
    public MovieSearchBuilder UseReranker(Func<IServiceProvider, IReranker> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        RemoveNoRerankerChoice();
        Services.AddKeyedSingleton(ServiceKey, (sp, _) => factory(sp));
        return this;
    }

    /// <summary>
    /// Returns the first-stage order (<c>reranked: false</c>) even when a reranker is registered, e.g. by
    /// <c>AddLocalMovieSearch</c> or unkeyed for the application. A later <see cref="UseReranker(IReranker)"/> wins.
    /// </summary>
    public MovieSearchBuilder UseNoReranker()
    {
        RemoveNoRerankerChoice();
        Services.AddKeyedSingleton(ServiceKey, new NoRerankerChoice());
        return this;
    }

    private void RemoveNoRerankerChoice()
    {
        for (var i = Services.Count - 1; i >= 0; i--)
        {
            if (Services[i].ServiceType == typeof(NoRerankerChoice)) Services.RemoveAt(i);
        }
    }

    /// <summary>Registered by <see cref="UseNoReranker"/>.</summary>
    internal sealed class NoRerankerChoice;
}
