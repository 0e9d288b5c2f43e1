using Datamancy.Errors;
using Datamancy.Stack.Model;

namespace Datamancy.Stack;

/// <summary>The lookup errors shared by the cmdlets and the profile resolver.</summary>
public static class StackErrors
{
    public static DatamancyException ProfileNotFound(StackDefinition stack, string profile) =>
        new(ErrorIds.ProfileNotFound, ErrorKind.ObjectNotFound,
            $"The profile '{profile}' is not defined in {stack.ComposeFile}{Suggestion.EndOfSentence(profile, Literal(profile) ? stack.Profiles : [])} The stack's profiles are: {string.Join(", ", stack.Profiles)}.", profile);

    public static DatamancyException ServiceNotFound(StackDefinition stack, string service) =>
        new(ErrorIds.ServiceNotFound, ErrorKind.ObjectNotFound,
            $"The service '{service}' is not defined in {stack.ComposeFile}{Suggestion.EndOfSentence(service, Literal(service) ? stack.Services.Select(s => s.Name) : [])} Run Get-DatamancyService without -Name to list the stack's services.", service);

    // A wildcard pattern that matched nothing is no typo of one name.
    private static bool Literal(string name) => name.IndexOfAny(['*', '?', '[']) < 0;
}
