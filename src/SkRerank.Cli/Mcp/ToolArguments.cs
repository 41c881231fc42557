using System.Globalization;
using System.Text.Json;
using SkRerank.Search;

namespace SkRerank.Cli.Mcp;

/// <summary>
/// Checks and converts the JSON arguments an MCP client sends to <c>search_movies</c> before the function binds them,
/// so that a wrong type gets a reason a model can act on ("top_n must be a whole number…") instead of .NET's
/// "Object of type 'JsonElement' cannot be converted…", and an explicit <c>null</c> for an optional argument (which
/// models often send) means "use the default".
/// </summary>
internal static class ToolArguments
{
    /// <summary>Normalises <paramref name="arguments"/> in place; throws <see cref="SearchArgumentException"/> with the reason.</summary>
    public static void Normalize(IDictionary<string, object?> arguments)
    {
        foreach (var name in arguments.Keys.ToList())
        {
            var value = arguments[name];
            if (value is JsonElement { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } || value is null)
            {
                if (name == "query") throw new SearchArgumentException("search_movies needs a non-empty 'query' describing the movie to find; it was null.", name);
                arguments.Remove(name); // optional: the function's default applies
                continue;
            }
            if (value is not JsonElement json) continue;
            arguments[name] = name switch
            {
                "query" or "genre" or "director" => Text(name, json),
                "top_n" => WholeNumber(name, json),
                _ => value,
            };
        }
    }

    private static string Text(string name, JsonElement json) => json.ValueKind == JsonValueKind.String
        ? json.GetString()!
        : throw new SearchArgumentException($"'{name}' must be a string, but was {Describe(json)}.", name);

    private static int WholeNumber(string name, JsonElement json)
    {
        if (json.ValueKind == JsonValueKind.Number && json.TryGetInt32(out var number)) return number;
        // Some clients send every argument as a string: "7" is fine, "abc" or "1.5" is not.
        if (json.ValueKind == JsonValueKind.String
            && int.TryParse(json.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
            return parsed;
        throw new SearchArgumentException(
            $"'{name}' must be a whole number from 1 to {MovieSearchOptions.MaxTopN}, but was {Describe(json)}.", name);
    }

    private static string Describe(JsonElement json)
    {
        var text = json.GetRawText();
        if (text.Length > 40) text = text[..40] + "…";
        return json.ValueKind switch
        {
            JsonValueKind.String => $"the string {text}",
            JsonValueKind.Number => $"the number {text}",
            JsonValueKind.True or JsonValueKind.False => $"the boolean {text}",
            JsonValueKind.Array => "an array",
            JsonValueKind.Object => "an object",
            _ => text,
        };
    }
}
