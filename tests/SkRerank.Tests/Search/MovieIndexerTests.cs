using Microsoft.Extensions.AI;
using SkRerank.Embeddings;
using SkRerank.Movies;
using SkRerank.Tests.Support;

namespace SkRerank.Tests.Search;

public class MovieIndexerTests
{
    [Fact]
    public async Task Indexing_twice_is_idempotent_and_reports_progress()
    {
        using var fixture = new MovieSearchFixture();
        var progress = new List<SkRerank.Indexing.IndexProgress>();
        var report = await fixture.Indexer.IndexAsync(fixture.Movies, new SyncProgress<SkRerank.Indexing.IndexProgress>(progress.Add));

        Assert.Equal(fixture.Movies.Count, report.Count);
        Assert.Equal(128, report.Dimensions);
        Assert.Equal(fixture.Movies.Count, progress[^1].Done);
        var all = await fixture.Collection.GetAsync(m => true, 100).ToListAsync();
        Assert.Equal(fixture.Movies.Count, all.Count);
        Assert.Equal(fixture.Movies.Count, fixture.Catalog.Count);
    }

    [Fact]
    public async Task A_failing_embedding_model_leaves_the_index_as_it_was()
    {
        using var fixture = new MovieSearchFixture();
        var broken = new SkRerank.Indexing.MovieIndexer(fixture.Collection, new ThrowingGenerator(), fixture.Catalog);
        var changed = fixture.Movies.Select(m => new Movie { Id = m.Id, Title = m.Title + " (changed)", Overview = m.Overview }).ToList();

        await Assert.ThrowsAsync<HttpRequestException>(() => broken.IndexAsync(changed));

        var stored = await fixture.Collection.GetAsync(0);
        Assert.Equal("The Dark Knight", stored!.Title);
        Assert.Equal(fixture.Movies.Count, (await fixture.Collection.GetAsync(m => true, 100).ToListAsync()).Count);
    }

    [Fact]
    public async Task With_the_disk_cache_only_changed_movies_are_embedded_again()
    {
        using var temp = new TempDirectory();
        using var fixture = new MovieSearchFixture();
        var counting = new HashingEmbeddingGenerator(128);
        using var cached = new DiskCachingEmbeddingGenerator(counting, temp.Path);
        var indexer = new SkRerank.Indexing.MovieIndexer(fixture.Collection, cached, fixture.Catalog);

        var first = await indexer.IndexAsync(fixture.Movies);
        var edited = fixture.Movies.Select(m => m.Id == 3 ? new Movie { Id = 3, Title = m.Title, Overview = m.Overview + " Revised.", Director = m.Director, Genres = m.Genres } : m).ToList();
        var second = await indexer.IndexAsync(edited);

        Assert.Equal(fixture.Movies.Count, first.Embedded);
        Assert.Equal(1, second.Embedded);
        Assert.Equal(fixture.Movies.Count - 1, second.FromCache);
        Assert.Equal(fixture.Movies.Count + 1, counting.Inputs);
    }

    [Fact]
    public async Task An_all_zero_vector_from_the_provider_is_reported_with_the_movie_and_nothing_is_indexed()
    {
        using var fixture = new MovieSearchFixture();
        var zeros = new SkRerank.Indexing.MovieIndexer(fixture.Collection, new ZeroForTitle("Jaws"), new MovieCatalog());
        var changed = fixture.Movies.Select(m => new Movie { Id = m.Id, Title = m.Title, Overview = m.Overview + " (changed)" }).ToList();

        var ex = await Assert.ThrowsAsync<SkRerank.Indexing.DegenerateEmbeddingException>(() => zeros.IndexAsync(changed));

        Assert.Contains("movie #4 (\"Jaws\")", ex.Message);
        Assert.DoesNotContain("(changed)", (await fixture.Collection.GetAsync(0))!.Overview);
    }

    // Embeds like the fixture, except one movie's text, which gets the all-zero vector a broken provider might send.
    private sealed class ZeroForTitle(string title) : IEmbeddingGenerator<string, Embedding<float>>
    {
        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(values.Select(v =>
                new Embedding<float>(v.StartsWith(title, StringComparison.Ordinal) ? new float[128] : HashingEmbeddingGenerator.Embed(v, 128)))));
        public object? GetService(Type serviceType, object? serviceKey = null) => null;
        public void Dispose() { }
    }

    private sealed class ThrowingGenerator : IEmbeddingGenerator<string, Embedding<float>>
    {
        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new HttpRequestException("embedding service down");
        public object? GetService(Type serviceType, object? serviceKey = null) => null;
        public void Dispose() { }
    }

    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
