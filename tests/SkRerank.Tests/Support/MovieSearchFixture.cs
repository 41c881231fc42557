using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using SkRerank.Embeddings;
using SkRerank.Indexing;
using SkRerank.Movies;
using SkRerank.Reranking;
using SkRerank.Search;
using SkRerank.VectorStore;

namespace SkRerank.Tests.Support;

/// <summary>A small indexed movie collection with a real search service over it, for plugin and service tests.</summary>
public sealed class MovieSearchFixture : IDisposable
{
    public static readonly Movie[] SampleMovies =
    [
        new() { Id = 0, Title = "The Dark Knight", Overview = "Batman raises the stakes in his war on crime in Gotham against the Joker.", Director = "Christopher Nolan", Genres = ["Action", "Crime", "Drama"], Tagline = "Why so serious?" },
        new() { Id = 1, Title = "Batman Begins", Overview = "Bruce Wayne becomes Batman, a bat-themed vigilante, to fight crime in Gotham.", Director = "Christopher Nolan", Genres = ["Action", "Crime"], Tagline = "Evil fears the knight." },
        new() { Id = 2, Title = "Interstellar", Overview = "Explorers travel through a wormhole in space to save humanity.", Director = "Christopher Nolan", Genres = ["Adventure", "Drama", "Science Fiction"], Tagline = null },
        new() { Id = 3, Title = "The Notebook", Overview = "A poor young man falls in love with a rich young woman; a love story told from a nursing home.", Director = "Nick Cassavetes", Genres = ["Romance", "Drama"], Tagline = "Behind every great love is a great story." },
        new() { Id = 4, Title = "Jaws", Overview = "A great white shark terrorizes a beach town and a police chief hunts it.", Director = "Steven Spielberg", Genres = ["Horror", "Thriller", "Adventure"], Tagline = "Don't go in the water." },
        new() { Id = 5, Title = "E.T. the Extra-Terrestrial", Overview = "A boy befriends a stranded alien and hides it from the government.", Director = "Steven Spielberg", Genres = ["Science Fiction", "Family"], Tagline = "He is afraid. He is alone." },
        new() { Id = 6, Title = "The Martian", Overview = "An astronaut stranded on Mars must survive and signal Earth to get back home.", Director = "Ridley Scott", Genres = ["Drama", "Adventure", "Science Fiction"], Tagline = "Bring him home" },
        new() { Id = 7, Title = "Batman & Robin", Overview = "Batman and Robin fight Mr. Freeze and Poison Ivy in Gotham.", Director = "Joel Schumacher", Genres = ["Action", "Crime", "Fantasy"], Tagline = "Strength. Courage. Honor. And loyalty." },
    ];

    public MovieSearchFixture(IReranker? reranker = null, Action<MovieSearchOptions>? configure = null, IReadOnlyList<Movie>? movies = null)
    {
        Embedder = new HashingEmbeddingGenerator(dimensions: 128);
        Collection = new InMemoryVectorStoreCollection<int, Movie>("movies", new InMemoryCollectionOptions
        {
            Definition = MovieCollectionDefinition.Create(128, new QueryEmbeddingGenerator(Embedder)),
            HybridFusion = HybridFusionMethod.WeightedZScore,
        });
        Catalog = new MovieCatalog();
        Indexer = new MovieIndexer(Collection, Embedder, Catalog);
        Movies = movies ?? SampleMovies;
        Indexer.IndexAsync(Movies).GetAwaiter().GetResult();
        var options = new MovieSearchOptions { Candidates = 6, TopN = 3 };
        configure?.Invoke(options);
        Search = new MovieSearchService(Collection, Embedder, reranker, Catalog, Options.Create(options));
    }

    public IReadOnlyList<Movie> Movies { get; }
    public HashingEmbeddingGenerator Embedder { get; }
    public InMemoryVectorStoreCollection<int, Movie> Collection { get; }
    public MovieCatalog Catalog { get; }
    public MovieIndexer Indexer { get; }
    public MovieSearchService Search { get; }

    public void Dispose() => Collection.Dispose();
}

/// <summary>A reranker that fails, to test the fail-open path (a real reranker is unreachable or broken).</summary>
public sealed class FailingReranker(Exception error) : IReranker
{
    public object? GetService(Type serviceType, object? serviceKey = null) => serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;
    public void Dispose() { }

    public RerankerMetadata Metadata { get; } = new("test", "failing");
    public int Calls { get; private set; }

    public Task<IReadOnlyList<RerankResult>> RerankAsync(string query, IReadOnlyList<string> documents, RerankOptions? options = null, CancellationToken cancellationToken = default)
    {
        Calls++;
        return Task.FromException<IReadOnlyList<RerankResult>>(error);
    }
}

/// <summary>A reranker that never answers (a remote one that hangs), until its call is cancelled.</summary>
public sealed class HangingReranker : IReranker
{
    public object? GetService(Type serviceType, object? serviceKey = null) => serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;
    public void Dispose() { }

    public RerankerMetadata Metadata { get; } = new("test", "hanging");
    public bool SawCancellation { get; private set; }

    public async Task<IReadOnlyList<RerankResult>> RerankAsync(string query, IReadOnlyList<string> documents, RerankOptions? options = null, CancellationToken cancellationToken = default)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            SawCancellation = true;
            throw;
        }
        throw new InvalidOperationException("unreachable");
    }
}

/// <summary>Records what a reranker was asked and delegates to BM25 (a real, deterministic reranker).</summary>
public sealed class RecordingReranker : IReranker
{
    public object? GetService(Type serviceType, object? serviceKey = null) => serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;
    public void Dispose() { }

    private readonly SignalFusionReranker _inner = new([(new LexicalSignal(), 1.0)], "bm25-only");
    public RerankerMetadata Metadata => _inner.Metadata;
    public List<(string Query, IReadOnlyList<string> Documents, int? TopN)> Calls { get; } = [];

    public Task<IReadOnlyList<RerankResult>> RerankAsync(string query, IReadOnlyList<string> documents, RerankOptions? options = null, CancellationToken cancellationToken = default)
    {
        Calls.Add((query, documents, options?.TopN));
        return _inner.RerankAsync(query, documents, options, cancellationToken);
    }
}
