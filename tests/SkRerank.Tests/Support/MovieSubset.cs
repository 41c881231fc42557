using System.Text.Json.Nodes;
using SkRerank.Movies;

namespace SkRerank.Tests.Support;

/// <summary>
/// The first movies of the shared dataset, as records and as a smaller movies.json, so agent, CLI and MCP tests index
/// in a second. The first 64 hold four Batman films (ids 13, 17, 58, 62); ids stay the dataset indexes.
/// </summary>
public static class MovieSubset
{
    public const int DefaultCount = 64;

    /// <summary>The shared cache folder of these tests, so the ONNX models embed each subset text once per machine.</summary>
    public static string CacheDirectory { get; } = Path.Combine(Path.GetTempPath(), "skrerank-tests", "agents-cache");

    public static string DatasetPath => SharedData.MoviesJson
        ?? throw new InvalidOperationException("movies.json not found (expected ../shared/datasets/movies.json beside the clone).");

    public static async Task<IReadOnlyList<Movie>> LoadAsync(int count = DefaultCount) =>
        (await MovieDataset.LoadAsync(DatasetPath)).Take(count).ToList();

    /// <summary>Writes the first <paramref name="count"/> records of movies.json to <paramref name="directory"/>/movies.json.</summary>
    public static string WriteFile(string directory, int count = DefaultCount)
    {
        var all = JsonNode.Parse(File.ReadAllText(DatasetPath))!.AsArray();
        var subset = new JsonArray(all.Take(count).Select(m => m!.DeepClone()).ToArray());
        var path = Path.Combine(directory, "movies.json");
        Directory.CreateDirectory(directory);
        File.WriteAllText(path, subset.ToJsonString());
        return path;
    }
}
