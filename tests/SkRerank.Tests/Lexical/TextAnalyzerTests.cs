using SkRerank.Lexical;

namespace SkRerank.Tests.Lexical;

public class TextAnalyzerTests
{
    [Fact]
    public void English_analysis_lowercases_drops_stop_words_and_stems()
    {
        Assert.Equal(["cat", "chase", "dog"], TextAnalyzer.English.Analyze("The Cats chased THE dogs"));
    }

    [Fact]
    public void English_analysis_removes_possessives()
    {
        Assert.Equal(["nolan", "film"], TextAnalyzer.English.Analyze("Nolan's films"));
    }

    [Fact]
    public void Word_forms_share_one_stem()
    {
        var stems = new[] { "running", "runs", "run" }.Select(w => TextAnalyzer.English.Analyze(w).Single()).Distinct();
        Assert.Equal(["run"], stems);
    }

    [Fact]
    public void Stop_words_and_blank_text_give_no_terms()
    {
        Assert.Empty(TextAnalyzer.English.Analyze("the and of it"));
        Assert.Empty(TextAnalyzer.English.Analyze("   "));
        Assert.Empty(TextAnalyzer.English.Analyze(null));
    }
}
