using SkRerank.Embeddings;
using SkRerank.Indexing;
using SkRerank.Movies;
using SkRerank.Tests.Support;
using SkRerank.Tests.Together;
using SkRerank.VectorStore;

namespace SkRerank.Tests.Performance;

/// <summary>
/// With the Together provider, indexing again after the data changed sends only the new and changed movies to the
/// service: the disk cache keys vectors by a hash of each text, and survives the process (a new cache instance reads
/// the file the first one flushed).
/// </summary>
public sealed class RemoteReindexTests
{
    [Fact]
    public async Task Reindexing_embeds_only_new_and_changed_movies()
    {
        await using var server = await FakeTogetherServer.StartAsync();
        using var temp = new TempDirectory();
        using var clients = TogetherTestSetup.Create(server);
        var movies = (await MovieDataset.LoadAsync(SharedData.MoviesJson ?? throw new InvalidOperationException("shared movies.json is missing")))
            .Take(60).ToList();

        Assert.Equal(60, await EmbeddedInputsAsync(movies));
        Assert.Equal(0, await EmbeddedInputsAsync(movies));

        var changed = movies.Select(Copy).ToList();
        changed[3].Overview += " A director's cut adds twenty minutes.";
        changed[17].Tagline = "A new tagline.";
        changed[42].Title += " (Remastered)";
        var added = Copy(movies[0]);
        added.Id = 999_001;
        added.Title = "A Movie That Was Not There Before";
        changed.Add(added);
        changed.RemoveAt(10); // deleting needs no embedding either

        Assert.Equal(4, await EmbeddedInputsAsync(changed));

        // Each call is a new process in miniature: a new cache instance over the same folder, a new collection.
        async Task<int> EmbeddedInputsAsync(IReadOnlyList<Movie> toIndex)
        {
            var before = server.Requests.Where(r => r.Endpoint.Contains("embeddings", StringComparison.Ordinal)).Sum(r => r.InputCount);
            using var cache = new DiskCachingEmbeddingGenerator(clients.EmbeddingGenerator, temp.Path);
            using var collection = new InMemoryVectorStoreCollection<int, Movie>("movies", new InMemoryCollectionOptions
            {
                Definition = MovieCollectionDefinition.Create(1024),
            });
            var report = await new MovieIndexer(collection, cache, new MovieCatalog()).IndexAsync(toIndex);
            var sent = server.Requests.Where(r => r.Endpoint.Contains("embeddings", StringComparison.Ordinal)).Sum(r => r.InputCount) - before;
            Assert.Equal(report.Embedded, sent);
            Assert.Equal(toIndex.Count, report.Count);
            return sent;
        }
    }

    private static Movie Copy(Movie m) => m.WithEmbedding(null);
}
