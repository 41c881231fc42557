using SkRerank.Movies;
using SkRerank.Tests.Support;

namespace SkRerank.Tests.Movies;

public class MovieDatasetTests
{
    private static async Task<IReadOnlyList<Movie>> LoadJson(string json) =>
        await MovieDataset.LoadAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)), "movies.json");

    [Fact]
    public async Task Ids_are_array_indices_and_a_null_tagline_stays_null()
    {
        var movies = await LoadJson("""
            [{"title":"A","overview":"first","director":"X","genres":"Action Science Fiction","tagline":"t"},
             {"title":"B","overview":"second","director":"Y","genres":"Drama","tagline":null}]
            """);
        Assert.Equal([0, 1], movies.Select(m => m.Id));
        Assert.Null(movies[1].Tagline);
        Assert.Equal(["Action", "Science Fiction"], movies[0].Genres);
        Assert.Equal("B\nsecond", movies[1].ToEmbeddingText());
    }

    [Fact]
    public async Task Malformed_json_is_reported_with_its_position()
    {
        var ex = await Assert.ThrowsAsync<MovieDatasetException>(() => LoadJson("[{\"title\": \"A\", }"));
        Assert.Contains("not valid JSON", ex.Message);
        Assert.Contains("line 1", ex.Message);
    }

    [Fact]
    public async Task A_root_that_is_not_an_array_is_rejected()
    {
        var ex = await Assert.ThrowsAsync<MovieDatasetException>(() => LoadJson("{\"title\":\"A\"}"));
        Assert.Contains("must hold a JSON array", ex.Message);
    }

    [Fact]
    public async Task A_missing_overview_names_the_record()
    {
        var ex = await Assert.ThrowsAsync<MovieDatasetException>(() => LoadJson("""
            [{"title":"A","overview":"ok"},{"title":"Heat","director":"Michael Mann"}]
            """));
        Assert.Contains("movie #1 (\"Heat\") has no \"overview\"", ex.Message);
    }

    [Fact]
    public async Task A_missing_title_names_the_record_index()
    {
        var ex = await Assert.ThrowsAsync<MovieDatasetException>(() => LoadJson("""[{"overview":"no title"}]"""));
        Assert.Contains("movie #0 has no \"title\"", ex.Message);
    }

    [Fact]
    public async Task Wrong_types_are_named()
    {
        var ex = await Assert.ThrowsAsync<MovieDatasetException>(() => LoadJson("""[{"title":"A","overview":"o","tagline":42}]"""));
        Assert.Contains("\"tagline\" must be a string, but is a number", ex.Message);
        var notObject = await Assert.ThrowsAsync<MovieDatasetException>(() => LoadJson("""["just a string"]"""));
        Assert.Contains("movie #0 must be a JSON object", notObject.Message);
    }

    [Fact]
    public async Task An_empty_array_is_rejected()
    {
        var ex = await Assert.ThrowsAsync<MovieDatasetException>(() => LoadJson("[]"));
        Assert.Contains("holds no movies", ex.Message);
    }

    [Fact]
    public async Task The_shared_dataset_loads_1000_movies_with_the_reference_films()
    {
        var path = SharedData.MoviesJson;
        Assert.True(path is not null, "../shared/datasets/movies.json is expected beside the clone");
        var movies = await MovieDataset.LoadAsync(path!);
        Assert.Equal(1000, movies.Count);
        Assert.Equal("The Dark Knight", movies[13].Title);
        Assert.Contains(movies, m => m.Genres.Contains("Science Fiction"));
        Assert.DoesNotContain(movies, m => m.ToEmbeddingText().Contains("None", StringComparison.Ordinal) && m.Tagline is null);
    }

    [Theory]
    [InlineData("Adventure Drama Science Fiction", new[] { "Adventure", "Drama", "Science Fiction" })]
    [InlineData("TV Movie Comedy", new[] { "TV Movie", "Comedy" })]
    [InlineData("", new string[0])]
    public void Genres_keep_multi_word_names_whole(string text, string[] expected) =>
        Assert.Equal(expected, MovieGenres.Parse(text));

    [Theory]
    [InlineData("sci-fi", "Science Fiction")]
    [InlineData("ACTION", "Action")]
    [InlineData("cooking", null)]
    public void Genre_filters_are_canonicalised(string input, string? expected) =>
        Assert.Equal(expected, MovieGenres.Canonicalize(input));
}
