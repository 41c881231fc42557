using SkRerank.Movies;

namespace SkRerank.Tests.Movies;

public class MovieTextTests
{
    [Fact]
    public void Embedding_text_skips_a_missing_tagline_instead_of_writing_None()
    {
        var movie = new Movie { Title = "Heat", Overview = "A heist.", Tagline = null };
        Assert.Equal("Heat\nA heist.", movie.ToEmbeddingText());
    }

    [Fact]
    public void Embedding_text_joins_title_overview_and_tagline()
    {
        var movie = new Movie { Title = "Heat", Overview = "A heist.", Tagline = "A Los Angeles crime saga", Director = "Michael Mann" };
        Assert.Equal("Heat\nA heist.\nA Los Angeles crime saga", movie.ToEmbeddingText());
        Assert.Contains("Director: Michael Mann", MovieText.Compose(movie, MovieTextFields.All));
    }
}
