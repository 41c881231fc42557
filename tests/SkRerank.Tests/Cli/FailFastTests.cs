using SkRerank.Tests.Support;

namespace SkRerank.Tests.Cli;

/// <summary>
/// Items 1 and 9 of #14: every mistake that can be found without a model is found before one loads: one line on
/// stderr, exit code 1, nothing on stdout, nothing written to the cache folder (it is not even created).
/// </summary>
public class FailFastTests
{
    public static TheoryData<string[], string> BadInputs => new()
    {
        { ["search", ""], "query is empty" },
        { ["search", "bats", "--top", "0"], "--top must be between 1 and 20, but was 0." },
        { ["search", "bats", "--candidates", "3"], "--candidates (3) must be at least --top (5)" },
        { ["search", "bats", "--min-score", "NaN"], "--min-score must be a finite number, but was NaN." },
        { ["search", "bats", "--min-score", "Infinity"], "--min-score must be a finite number" },
        { ["search", "bats", "--reranker", "magic"], "Unknown --reranker 'magic'" },
        { ["search", "bats", "--embeddings", "magic"], "Unknown --embeddings 'magic'" },
        { ["search", "bats", "--first-stage", "magic"], "Unknown --first-stage 'magic'" },
        { ["search", "bats", "--provider", "together"], "TOGETHER_API_KEY is not set" },
        { ["search", "bats", "--reranker", "cross-encoder"], "--reranker cross-encoder needs --rerank-model" },
        { ["search", "bats", "--genre", "cooking"], "Unknown genre 'cooking'" },
        { ["search", "bats", "--top", "abc", "--json"], "Cannot parse argument 'abc' for option '--top' as a whole number." },
        { ["search", "bats", "--min-score", "x"], "Cannot parse argument 'x' for option '--min-score' as a number." },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task A_bad_argument_fails_before_any_model_loads_and_writes_nothing(string[] arguments, string expected)
    {
        using var temp = new TempDirectory();
        var dataset = CliProcess.WriteMovieSubset(temp, 5);
        var cache = Path.Combine(temp.Path, "cache");
        var result = await CliProcess.RunAsync([.. arguments, "--dataset", dataset, "--cache-dir", cache]);

        AssertFailedCleanly(result, expected);
        Assert.False(Directory.Exists(cache), "the cache folder was created");
    }

    [Fact]
    public async Task A_dataset_that_is_not_utf8_names_the_file_and_the_position()
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "latin1.json");
        File.WriteAllBytes(path, [.. "[{\"title\":\"Am"u8, 0xE9, .. "lie\",\"overview\":\"x\"}]"u8]);
        var cache = Path.Combine(temp.Path, "cache");
        var result = await CliProcess.RunAsync(["search", "bats", "--dataset", path, "--cache-dir", cache]);

        AssertFailedCleanly(result, $"{path} is not valid UTF-8: byte 0xE9 at offset 13 (line 1, column 14)");
        Assert.False(Directory.Exists(cache));
    }

    [Fact]
    public async Task A_cache_folder_that_is_a_file_is_an_error_not_a_crash()
    {
        using var temp = new TempDirectory();
        var dataset = CliProcess.WriteMovieSubset(temp, 5);
        var file = temp.File("cache-is-a-file", "x");
        var result = await CliProcess.RunAsync(["search", "bats", "--dataset", dataset, "--cache-dir", file]);
        AssertFailedCleanly(result, $"The cache folder {file} is a file");

        var below = await CliProcess.RunAsync(["search", "bats", "--dataset", dataset, "--cache-dir", Path.Combine(file, "sub")]);
        AssertFailedCleanly(below, "cannot be created");
    }

    [Fact]
    public async Task A_dataset_path_that_is_a_folder_is_a_one_line_error()
    {
        using var temp = new TempDirectory();
        var result = await CliProcess.RunAsync(["search", "bats", "--dataset", temp.Path, "--cache-dir", Path.Combine(temp.Path, "cache")]);
        AssertFailedCleanly(result, "Dataset file not found");
    }

    private static void AssertFailedCleanly(CliRun result, string expected)
    {
        Assert.True(result.ExitCode == 1, result.ToString());
        var errors = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 1, result.ToString());
        Assert.Contains(expected, errors[0]);
        Assert.DoesNotContain("(Parameter '", result.Error);
        Assert.DoesNotContain("   at ", result.Error);
        Assert.DoesNotContain("Usage:", result.Error); // a pointer to --help, not the whole help
        Assert.Equal("", result.Output);
    }
}
