namespace SkRerank.VectorStore;

/// <summary>
/// Which property types the <see cref="PayloadIndex{TRecord}"/> can index, and how filter values become index keys.
/// A hash lookup can answer <c>x.P == v</c> only where <c>==</c> agrees with <see cref="object.Equals(object)"/> and
/// <see cref="object.GetHashCode"/>: true for the types below (strings compare ordinally both ways; decimal, date and
/// time types compare by value both ways), except for floating-point NaN, which the planner handles itself.
/// </summary>
internal static class IndexableTypes
{
    private static readonly HashSet<Type> s_scalars =
    [
        typeof(string), typeof(bool), typeof(char),
        typeof(sbyte), typeof(byte), typeof(short), typeof(ushort), typeof(int), typeof(uint), typeof(long), typeof(ulong),
        typeof(float), typeof(double), typeof(decimal),
        typeof(Guid), typeof(DateTime), typeof(DateTimeOffset), typeof(DateOnly), typeof(TimeOnly), typeof(TimeSpan),
    ];

    /// <summary>Whether values of <paramref name="type"/> (an enum, a type above, or a nullable of one) can be indexed.</summary>
    public static bool IsScalar(Type type)
    {
        var core = Nullable.GetUnderlyingType(type) ?? type;
        return core.IsEnum || s_scalars.Contains(core);
    }

    /// <summary>
    /// The element type of a collection property the index can handle (<c>T[]</c>, <c>List&lt;T&gt;</c> or a
    /// collection interface of T, with T scalar), or <see langword="null"/>.
    /// </summary>
    public static Type? ElementType(Type type)
    {
        Type? element = null;
        if (type.IsArray && type.GetArrayRank() == 1) element = type.GetElementType();
        else if (type.IsGenericType)
        {
            var definition = type.GetGenericTypeDefinition();
            if (definition == typeof(List<>) || definition == typeof(IEnumerable<>) || definition == typeof(ICollection<>)
                || definition == typeof(IList<>) || definition == typeof(IReadOnlyCollection<>) || definition == typeof(IReadOnlyList<>))
                element = type.GetGenericArguments()[0];
        }
        return element is not null && IsScalar(element) ? element : null;
    }

    /// <summary>
    /// Whether <paramref name="value"/>, a stored collection, is of a type whose <c>Contains</c> uses the element
    /// type's default equality (arrays and <see cref="List{T}"/>), so the index answers it exactly.
    /// </summary>
    public static bool HasDefaultContains(object value, Type elementType) =>
        value.GetType() == elementType.MakeArrayType() || value.GetType() == typeof(List<>).MakeGenericType(elementType);

    public static bool IsFloatingPoint(Type type)
    {
        var core = Nullable.GetUnderlyingType(type) ?? type;
        return core == typeof(double) || core == typeof(float);
    }

    /// <summary>
    /// The type by which two types compare equal after a value-preserving conversion: nullable and enum wrappers are
    /// removed (<c>Color?</c> → <c>int</c>). A conversion between types with the same core type keeps equality.
    /// </summary>
    public static Type Core(Type type)
    {
        var core = Nullable.GetUnderlyingType(type) ?? type;
        return core.IsEnum ? Enum.GetUnderlyingType(core) : core;
    }

    /// <summary>
    /// Turns a filter value into the key stored for a property of <paramref name="propertyType"/>: an enum's underlying
    /// number becomes the enum value, and so on. <see langword="false"/> when the value does not fit the property.
    /// </summary>
    public static bool TryNormalize(object? value, Type propertyType, out object? key)
    {
        key = value;
        if (value is null) return true;
        var target = Nullable.GetUnderlyingType(propertyType) ?? propertyType;
        var type = value.GetType();
        if (type == target) return true;
        if (Core(type) != Core(target) || !(type.IsEnum || target.IsEnum)) return false;

        // An enum and its underlying number, or two enums over the same number type: the bits are the value.
        var number = type.IsEnum ? Convert.ChangeType(value, Enum.GetUnderlyingType(type), System.Globalization.CultureInfo.InvariantCulture) : value;
        key = target.IsEnum ? Enum.ToObject(target, number) : number;
        return true;
    }
}
