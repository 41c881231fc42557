using System.Text.Json;

namespace SkRerank.Movies;

/// <summary>
/// Reads <c>movies.json</c>: a JSON array of objects with <c>title</c>, <c>overview</c>, <c>director</c>,
/// <c>genres</c> and <c>tagline</c> (which may be null). A movie's id is its 0-based index in the array.
/// </summary>
public static class MovieDataset
{
    /// <summary>Loads and validates the dataset at <paramref name="path"/>.</summary>
    /// <exception cref="MovieDatasetException">The file is missing, is not valid JSON, or a record is malformed; the message names the record.</exception>
    public static async Task<IReadOnlyList<Movie>> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Directory.Exists(path)) throw new MovieDatasetException($"Dataset path {path} is a folder; give the movies.json file inside it.");
        if (!File.Exists(path)) throw new MovieDatasetException($"Dataset file not found: {path}");
        FileStream stream;
        try
        {
            stream = File.OpenRead(path);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw new MovieDatasetException($"Cannot read dataset file {path}: {ex.Message}", ex);
        }
        await using (stream.ConfigureAwait(false))
            return await LoadAsync(stream, path, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Loads and validates a dataset from <paramref name="stream"/>; <paramref name="sourceName"/> names it in errors.</summary>
    public static async Task<IReadOnlyList<Movie>> LoadAsync(Stream stream, string sourceName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        JsonDocument document;
        try
        {
            // System.Text.Json only notices invalid UTF-8 inside a string when the string is read, and then names
            // neither file nor position: check the bytes first.
            var bytes = await ReadAllAsync(stream, sourceName, cancellationToken).ConfigureAwait(false);
            DatasetEncoding.EnsureUtf8(bytes, sourceName);
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new MovieDatasetException(
                $"{sourceName} is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}): {FirstSentence(ex.Message)}", ex);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
                throw new MovieDatasetException($"{sourceName} must hold a JSON array of movies, but its root is {Describe(document.RootElement.ValueKind)}.");

            var movies = new List<Movie>(document.RootElement.GetArrayLength());
            var index = 0;
            foreach (var element in document.RootElement.EnumerateArray())
            {
                movies.Add(ReadMovie(element, index, sourceName));
                index++;
            }
            if (movies.Count == 0) throw new MovieDatasetException($"{sourceName} holds no movies.");
            return movies;
        }
    }

    private static async Task<ReadOnlyMemory<byte>> ReadAllAsync(Stream stream, string sourceName, CancellationToken cancellationToken)
    {
        var buffer = stream.CanSeek ? new MemoryStream((int)Math.Min(int.MaxValue, Math.Max(0, stream.Length - stream.Position))) : new MemoryStream();
        try
        {
            await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw new MovieDatasetException($"Cannot read {sourceName}: {ex.Message}", ex);
        }
        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    private static Movie ReadMovie(JsonElement element, int index, string sourceName)
    {
        string Where() => $"{sourceName}: movie #{index}" + (TryTitle(element) is { } t ? $" (\"{t}\")" : "");

        if (element.ValueKind != JsonValueKind.Object)
            throw new MovieDatasetException($"{Where()} must be a JSON object, but is {Describe(element.ValueKind)}.");

        string? Text(string name, bool required)
        {
            if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                if (required) throw new MovieDatasetException($"{Where()} has no \"{name}\".");
                return null;
            }
            if (value.ValueKind != JsonValueKind.String)
                throw new MovieDatasetException($"{Where()}: \"{name}\" must be a string, but is {Describe(value.ValueKind)}.");
            var text = value.GetString()!.Trim();
            if (required && text.Length == 0) throw new MovieDatasetException($"{Where()} has an empty \"{name}\".");
            return text;
        }

        List<string> Genres()
        {
            if (!element.TryGetProperty("genres", out var value) || value.ValueKind == JsonValueKind.Null) return [];
            return value.ValueKind switch
            {
                JsonValueKind.String => MovieGenres.Parse(value.GetString()),
                // Some copies of the TMDB data hold genres as an array; accept it rather than fail.
                JsonValueKind.Array when value.EnumerateArray().All(g => g.ValueKind == JsonValueKind.String) =>
                    value.EnumerateArray().Select(g => g.GetString()!.Trim()).Where(g => g.Length > 0).ToList(),
                _ => throw new MovieDatasetException($"{Where()}: \"genres\" must be a string like \"Action Drama\", but is {Describe(value.ValueKind)}."),
            };
        }

        return new Movie
        {
            Id = index,
            Title = Text("title", required: true)!,
            Overview = Text("overview", required: true)!,
            Director = Text("director", required: false) ?? "",
            Genres = Genres(),
            Tagline = Text("tagline", required: false) is { Length: > 0 } tagline ? tagline : null,
        };
    }

    private static string? TryTitle(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String
            ? t.GetString()
            : null;

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? message[..(end + 1)] : message;
    }
}
