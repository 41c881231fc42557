using SkRerank.Movies;
using SkRerank.Onnx.Embeddings;
using SkRerank.Search;
using SkRerank.Tests.Support;

namespace SkRerank.Tests.Search;

/// <summary>Item 3 of #14: a one-line notice when a query has little the English models can read.</summary>
public class QueryReadabilityTests
{
    private static readonly IReadOnlySet<string> EnglishWords = OnnxEmbeddingModel.ArcticEmbedXs.ReadWholeWords();
    private static readonly MovieCatalog Catalog = CreateCatalog();

    private static MovieCatalog CreateCatalog()
    {
        var catalog = new MovieCatalog();
        catalog.Set(MovieSearchFixture.SampleMovies);
        return catalog;
    }

    [Theory]
    [InlineData("super hero mystery action movie about bats")]
    [InlineData("heist with a twist")]
    [InlineData("a shark terrorizes a beach town")]
    [InlineData("bats")]
    public void English_queries_get_no_notice(string query) => Assert.Null(QueryReadability.Notice(query, Catalog, EnglishWords));

    [Theory]
    [InlineData("película de acción sobre murciélagos", "only")]          // Spanish
    [InlineData("unheimlicher Weltraumschrecken für Erwachsene", "only")]  // German: the measure has no language list
    [InlineData("🦇🦸‍♂️🌃", "no words")]                                       // emoji only
    [InlineData("the and of it", "no words")]                               // stop words only
    public void Queries_the_models_cannot_read_get_a_one_line_notice(string query, string expected)
    {
        var notice = QueryReadability.Notice(query, Catalog, EnglishWords);
        Assert.NotNull(notice);
        Assert.Contains(expected, notice);
        Assert.DoesNotContain('\n', notice);
    }

    [Fact]
    public void The_model_vocabulary_holds_whole_english_words_only()
    {
        Assert.Contains("mystery", EnglishWords);
        Assert.DoesNotContain(EnglishWords, w => w.StartsWith("##", StringComparison.Ordinal) || w.StartsWith('['));
    }
}
