using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;
using SkRerank.Movies;
using SkRerank.VectorStore;

namespace SkRerank.Tests.VectorStore;

/// <summary>A second record type: string key, float[] vector, an array data property, attributes only.</summary>
public sealed class Note
{
    [VectorStoreKey]
    public string Id { get; set; } = "";

    [VectorStoreData(IsFullTextIndexed = true)]
    public string Text { get; set; } = "";

    [VectorStoreData(IsIndexed = true)]
    public string[] Tags { get; set; } = [];

    [VectorStoreData]
    public int Priority { get; set; }

    [VectorStoreVector(3)]
    public float[]? Vector { get; set; }
}

/// <summary>A record with two vector properties of the remaining supported types.</summary>
public sealed class TwoVectors
{
    [VectorStoreKey]
    public Guid Id { get; set; }

    [VectorStoreVector(2)]
    public ReadOnlyMemory<float> Plain { get; set; }

    [VectorStoreVector(2, DistanceFunction = DistanceFunction.EuclideanDistance)]
    public Embedding<float>? Wrapped { get; set; }
}

/// <summary>A handful of movies with 4-d vectors chosen so that the nearest neighbours of [1, 0, 0, 0] are obvious.</summary>
public static class SampleMovies
{
    public const int Dimensions = 4;

    public static Movie[] Create() =>
    [
        new() { Id = 1, Title = "Heat", Overview = "A crew of thieves plans one last heist in Los Angeles.", Director = "Michael Mann", Genres = ["Action", "Crime"], Tagline = "A Los Angeles crime saga", Embedding = new float[] { 1, 0, 0, 0 } },
        new() { Id = 2, Title = "Collateral", Overview = "A cab driver is held hostage by a hitman.", Director = "Michael Mann", Genres = ["Crime", "Thriller"], Embedding = new float[] { 0.9f, 0.1f, 0, 0 } },
        new() { Id = 3, Title = "The Dark Knight", Overview = "Batman faces the Joker in Gotham.", Director = "Christopher Nolan", Genres = ["Action", "Crime", "Drama"], Embedding = new float[] { 0.7f, 0.7f, 0, 0 } },
        new() { Id = 4, Title = "Inception", Overview = "A thief steals secrets through dreams.", Director = "Christopher Nolan", Genres = ["Action", "Science Fiction"], Embedding = new float[] { 0, 1, 0, 0 } },
        new() { Id = 5, Title = "Amélie", Overview = "A shy waitress changes the lives of those around her.", Director = "Jean-Pierre Jeunet", Genres = ["Comedy", "Romance"], Embedding = new float[] { 0, 0, 1, 0 } },
    ];

    /// <summary>Creates a store collection over the movies with a 4-d definition, already holding them.</summary>
    public static async Task<InMemoryVectorStoreCollection<int, Movie>> CollectionAsync(
        string distanceFunction = DistanceFunction.CosineSimilarity, InMemoryVectorStore? store = null)
    {
        store ??= new InMemoryVectorStore();
        var collection = store.GetCollection<int, Movie>("movies", MovieCollectionDefinition.Create(Dimensions, distanceFunction: distanceFunction));
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(Create());
        return collection;
    }
}
