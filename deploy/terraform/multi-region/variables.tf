variable "domain_name" {
  description = "The hosted zone, e.g. promptsentinel.example.com"
  type        = string
}

variable "record_name" {
  description = "The name clients use, e.g. api.promptsentinel.example.com"
  type        = string
}

variable "image" {
  description = "Container image (both regions pull the same tag)"
  type        = string
  default     = "promptsentinel/promptsentinel:0.1.0"
}

variable "desired_count" {
  description = "Tasks per region"
  type        = number
  default     = 3
}

variable "us_east" {
  description = "us-east-1 network, certificate and Redis"
  type = object({
    vpc_id             = string
    public_subnet_ids  = list(string)
    private_subnet_ids = list(string)
    certificate_arn    = string # ACM certificates are regional
    redis_url          = string # e.g. rediss://...cache.amazonaws.com:6379/0
  })
}

variable "eu_west" {
  description = "eu-west-1 network, certificate and Redis"
  type = object({
    vpc_id             = string
    public_subnet_ids  = list(string)
    private_subnet_ids = list(string)
    certificate_arn    = string
    redis_url          = string
  })
}

variable "secret_arns" {
  description = "Secrets Manager ARNs per region, by environment variable name (ADMIN_API_KEY, ...)"
  type = object({
    us_east = map(string)
    eu_west = map(string)
  })
  default = { us_east = {}, eu_west = {} }
}
