using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using SkRerank.DependencyInjection;
using SkRerank.Embeddings;
using SkRerank.Indexing;
using SkRerank.Movies;
using SkRerank.Postgres;
using SkRerank.Search;
using SkRerank.VectorStore;

// In this namespace so that the method shows up wherever services are configured, like Microsoft's own Add*/Use* methods.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Puts the movie search on PostgreSQL + pgvector.</summary>
public static class PostgresMovieSearchBuilderExtensions
{
    /// <summary>
    /// Indexes and searches the movies in a PostgreSQL table (<c>movies</c> unless <paramref name="configure"/> says
    /// otherwise) instead of the in-memory default. The table is sized for the movie search's embedding generator
    /// (its <see cref="EmbeddingGeneratorMetadata"/> dimensions), records its model, and fuses hybrid search with weighted
    /// z-scores like the command line; <paramref name="configure"/> can change any of it.
    /// </summary>
    /// <param name="builder">The builder <c>AddMovieSearch</c> (or <c>AddLocalMovieSearch</c>, <c>AddTogetherMovieSearch</c>) returned.</param>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="configure">Adjusts the collection options (schema, HNSW parameters, fusion, …).</param>
    /// <param name="collectionName">The table name.</param>
    public static MovieSearchBuilder UsePostgres(
        this MovieSearchBuilder builder, string connectionString, Action<PostgresCollectionOptions>? configure = null, string collectionName = "movies")
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return builder.UseCollection(services =>
            new PostgresCollection<int, Movie>(PostgresCollection<int, Movie>.CreateDataSource(connectionString), collectionName, ownsDataSource: true,
                CreateOptions(services, configure)));
    }

    /// <summary>
    /// Like <see cref="UsePostgres(MovieSearchBuilder, string, Action{PostgresCollectionOptions}?, string)"/> over an
    /// application's own data source, which must map pgvector's type (<c>NpgsqlDataSourceBuilder.UseVector()</c>). The
    /// caller keeps ownership of <paramref name="dataSource"/>.
    /// </summary>
    public static MovieSearchBuilder UsePostgres(
        this MovieSearchBuilder builder, NpgsqlDataSource dataSource, Action<PostgresCollectionOptions>? configure = null, string collectionName = "movies")
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(dataSource);
        return builder.UseCollection(services =>
            new PostgresCollection<int, Movie>(dataSource, collectionName, ownsDataSource: false, CreateOptions(services, configure)));
    }

    private static PostgresCollectionOptions CreateOptions(IServiceProvider services, Action<PostgresCollectionOptions>? configure)
    {
        var generator = services.GetKeyedService<IEmbeddingGenerator<string, Embedding<float>>>(MovieSearchBuilder.ServiceKey)
            ?? services.GetService<IEmbeddingGenerator<string, Embedding<float>>>()
            ?? throw new InvalidOperationException("UsePostgres needs the movie search's IEmbeddingGenerator<string, Embedding<float>> (UseEmbeddingGenerator, or a registered one) to size the table.");
        var metadata = generator.GetService<EmbeddingGeneratorMetadata>();
        // The collection embeds string search values without options; asymmetric models must see them as queries.
        var queryGenerator = new QueryEmbeddingGenerator(generator);
        // A second first-stage model has its own column (Movie.SecondaryEmbedding), in the definition and the recorded identity.
        var secondary = MovieSearchServiceCollectionExtensions.ResolveSecondaryEmbeddingGenerator(services);
        var secondaryModel = secondary?.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId;
        var options = new PostgresCollectionOptions
        {
            Definition = MovieSearchServiceCollectionExtensions.CollectionDefinition(services, generator, queryGenerator),
            EmbeddingGenerator = queryGenerator,
            // The recorded identity names the embedded fields and both models: vectors of another text are another model's.
            EmbeddingModelId = metadata?.DefaultModelId is { } modelId && (secondary is null || secondaryModel is not null)
                ? StoredEmbeddingModel.Describe(modelId, services.GetRequiredService<IOptions<MovieSearchOptions>>().Value.EmbeddingFields, secondaryModel)
                : null,
            HybridFusion = HybridFusionMethod.WeightedZScore,
            KeywordWeight = MovieSearchOptions.DefaultKeywordWeight,
        };
        configure?.Invoke(options);
        return options;
    }
}
